// Evidence player: say so when the stream is refused (e.g. the permission expired).
document.addEventListener("DOMContentLoaded", () => {
  const player = document.querySelector(".evidence-player, .evidence-view");
  const problem = document.querySelector(".player-error");
  if (!player || !problem) {
    return;
  }
  player.addEventListener("error", () => {
    problem.hidden = false;
  });
});
