// Resumable evidence upload (tus 1.0) for the "Upload evidence" page.
// Many files by drag-and-drop or the file input; a progress bar per file; after a
// broken connection the upload goes on from the offset the server reports (HEAD);
// a result line per file: new / duplicate / rejected, with a link to the item.
(() => {
  "use strict";

  const TUS = "1.0.0";
  const PARALLEL = 2;
  const RETRY_DELAYS = [1000, 2000, 4000, 8000, 15000, 30000, 30000, 30000];

  const form = document.getElementById("upload-form");
  if (!form) return;
  const endpoint = form.dataset.endpoint;
  const csrf = form.dataset.csrf;
  const chunkSize = parseInt(form.dataset.chunk, 10);
  const maxBytes = parseInt(form.dataset.max, 10);
  const msg = form.dataset;
  const list = document.querySelector("#upload-list tbody");
  const queue = [];
  let running = 0;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function b64(text) {
    const bytes = new TextEncoder().encode(text);
    let binary = "";
    bytes.forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary);
  }

  function b64Bytes(buffer) {
    let binary = "";
    new Uint8Array(buffer).forEach((b) => { binary += String.fromCharCode(b); });
    return btoa(binary);
  }

  class HttpError extends Error {
    constructor(status, detail) {
      super(detail || String(status));
      this.status = status;
      this.detail = detail;
    }
  }

  // One request; resolves with the XHR, rejects with HttpError (status 0: no connection).
  function request(method, url, { headers = {}, body = null, onProgress = null } = {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, url);
      xhr.setRequestHeader("Tus-Resumable", TUS);
      if (method !== "HEAD" && method !== "GET") xhr.setRequestHeader("X-CSRFToken", csrf);
      Object.entries(headers).forEach(([k, v]) => xhr.setRequestHeader(k, v));
      if (onProgress) xhr.upload.onprogress = (e) => onProgress(e.loaded);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) { resolve(xhr); return; }
        let detail = "";
        try { detail = JSON.parse(xhr.responseText).detail || ""; } catch (e) { detail = ""; }
        reject(new HttpError(xhr.status, detail));
      };
      xhr.onerror = () => reject(new HttpError(0, ""));
      xhr.ontimeout = () => reject(new HttpError(0, ""));
      xhr.send(body);
    });
  }

  function row(file) {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = file.name;
    const progressCell = document.createElement("td");
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    const percent = document.createElement("span");
    percent.className = "percent";
    percent.textContent = " 0%";
    progressCell.append(bar, percent);
    const result = document.createElement("td");
    result.className = "result";
    result.setAttribute("role", "status");
    result.textContent = msg.msgWaiting;
    tr.append(name, progressCell, result);
    list.append(tr);
    return {
      progress(sent) {
        const value = file.size ? Math.floor((sent * 100) / file.size) : 100;
        bar.value = value;
        percent.textContent = ` ${value}%`;
      },
      say(text) { result.textContent = text; },
      done(state) {
        result.textContent = "";
        const label = document.createElement("strong");
        label.className = `upload-${state.result}`;
        label.textContent = state.result_label || state.result;
        result.append(label);
        if (state.reason) result.append(`: ${state.reason}`);
        if (state.item_url) {
          const link = document.createElement("a");
          link.href = state.item_url;
          link.textContent = `${msg.msgOpen} #${state.item}`;
          result.append(" — ", link);
        }
      },
      rejected(reason) {
        result.textContent = "";
        const label = document.createElement("strong");
        label.className = "upload-rejected";
        label.textContent = msg.msgRejected;
        result.append(label, `: ${reason}`);
      },
    };
  }

  function metadata(file) {
    const pairs = [["filename", file.name]];
    ["case", "category", "source_type", "device_serial"].forEach((field) => {
      const value = form.elements[field] ? form.elements[field].value.trim() : "";
      if (value) pairs.push([field, value]);
    });
    return pairs.map(([k, v]) => `${k} ${b64(v)}`).join(",");
  }

  const storageKey = (file) =>
    `scape-tus:${endpoint}:${file.name}:${file.size}:${file.lastModified}`;

  async function serverOffset(url) {
    const xhr = await request("HEAD", url);
    return parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
  }

  async function create(file) {
    const xhr = await request("POST", endpoint, {
      headers: { "Upload-Length": String(file.size), "Upload-Metadata": metadata(file) },
    });
    return new URL(xhr.getResponseHeader("Location"), window.location.href).href;
  }

  async function sendChunk(url, file, offset, ui) {
    const end = Math.min(offset + chunkSize, file.size);
    const headers = {
      "Upload-Offset": String(offset),
      "Content-Type": "application/offset+octet-stream",
    };
    let body = file.slice(offset, end);
    if (window.crypto && window.crypto.subtle) {
      body = await body.arrayBuffer();
      headers["Upload-Checksum"] = `sha256 ${b64Bytes(await crypto.subtle.digest("SHA-256", body))}`;
    }
    const xhr = await request("PATCH", url, {
      headers, body, onProgress: (loaded) => ui.progress(offset + loaded),
    });
    return parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
  }

  async function waitForResult(url) {
    let delay = 300;
    for (;;) {
      const xhr = await request("GET", url);
      const state = JSON.parse(xhr.responseText);
      if (state.result) return state;
      await sleep(delay);
      delay = Math.min(delay * 2, 3000);
    }
  }

  async function upload(file, ui) {
    if (file.size > maxBytes) { ui.rejected(msg.msgTooLarge); return; }
    const key = storageKey(file);
    let url = window.localStorage.getItem(key);
    let offset = 0;
    let attempt = 0;
    for (;;) {
      try {
        if (url) {
          try {
            offset = await serverOffset(url);
          } catch (err) {
            if (err.status !== 404 && err.status !== 410) throw err;
            url = null; // expired or removed: start again
          }
        }
        if (!url) {
          url = await create(file);
          window.localStorage.setItem(key, url);
          offset = 0;
        }
        ui.progress(offset);
        ui.say(msg.msgUploading);
        while (offset < file.size) {
          offset = await sendChunk(url, file, offset, ui);
          ui.progress(offset);
          attempt = 0;
        }
        ui.say(msg.msgFinishing);
        const state = await waitForResult(url);
        window.localStorage.removeItem(key);
        ui.done(state);
        return;
      } catch (err) {
        const status = err.status === undefined ? 0 : err.status;
        const transient = status === 0 || status === 409 || status === 423 || status === 460
          || status >= 500;
        if (!transient || status === 507) {
          window.localStorage.removeItem(key);
          ui.rejected(err.detail || `${msg.msgFailed} (${status})`);
          return;
        }
        if (attempt >= RETRY_DELAYS.length) { ui.rejected(msg.msgGaveUp); return; }
        // A broken connection, a conflicting offset or a bad chunk: ask the server
        // where it stands (HEAD, at the top of the loop) and go on from there.
        ui.say(msg.msgRetrying);
        await sleep(RETRY_DELAYS[attempt]);
        attempt += 1;
      }
    }
  }

  function pump() {
    while (running < PARALLEL && queue.length) {
      const { file, ui } = queue.shift();
      running += 1;
      upload(file, ui).finally(() => { running -= 1; pump(); });
    }
  }

  function add(files) {
    Array.from(files).forEach((file) => queue.push({ file, ui: row(file) }));
    pump();
  }

  const input = document.getElementById("upload-files");
  input.addEventListener("change", () => { add(input.files); input.value = ""; });

  const drop = document.getElementById("upload-drop");
  ["dragenter", "dragover"].forEach((type) => drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.add("dragover");
    drop.style.outline = "2px dashed currentColor";
  }));
  ["dragleave", "drop"].forEach((type) => drop.addEventListener(type, (e) => {
    e.preventDefault();
    drop.classList.remove("dragover");
    drop.style.outline = "";
  }));
  drop.addEventListener("drop", (e) => add(e.dataTransfer.files));
})();
