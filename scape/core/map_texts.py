"""The words of the map drawing tool (Leaflet.draw) in the reader's language.

Leaflet.draw ships its toolbar and hints in English only; map.js merges these
into ``L.drawLocal`` from the map element's ``data-draw-texts``.
"""

from __future__ import annotations

import json

from django.utils.translation import gettext as _


def draw_texts() -> str:
    """Return Leaflet.draw's texts, translated, as the JSON map.js reads."""
    cancel = _("Cancel")
    texts = {
        "draw": {
            "toolbar": {
                "actions": {"title": _("Stop drawing"), "text": cancel},
                "finish": {"title": _("Finish the shape"), "text": _("Finish")},
                "undo": {"title": _("Take back the last point"), "text": _("Delete last point")},
                "buttons": {"polygon": _("Draw an area"), "circle": _("Draw a circle")},
            },
            "handlers": {
                "circle": {
                    "tooltip": {"start": _("Press and drag to draw a circle.")},
                    "radius": _("Radius"),
                },
                "polygon": {
                    "tooltip": {
                        "start": _("Click to place the first corner."),
                        "cont": _("Click to place the next corner."),
                        "end": _("Click the first corner to close the area."),
                    }
                },
                "polyline": {"error": _("The edges of an area may not cross.")},
                "simpleshape": {"tooltip": {"end": _("Let go to finish the shape.")}},
            },
        },
        "edit": {
            "toolbar": {
                "actions": {
                    "save": {"title": _("Keep the changes"), "text": _("Save")},
                    "cancel": {"title": _("Undo every change"), "text": cancel},
                    "clearAll": {"title": _("Remove every shape"), "text": _("Remove all")},
                },
                "buttons": {
                    "edit": _("Change the shapes"),
                    "editDisabled": _("No shape to change"),
                    "remove": _("Remove shapes"),
                    "removeDisabled": _("No shape to remove"),
                },
            },
            "handlers": {
                "edit": {
                    "tooltip": {
                        "text": _("Drag the corners to change a shape."),
                        "subtext": _("Cancel undoes the changes."),
                    }
                },
                "remove": {"tooltip": {"text": _("Click a shape to remove it.")}},
            },
        },
    }
    # One item a line: no "}}" for a template check to take for an unrendered tag.
    return json.dumps(texts, ensure_ascii=False, indent=0)
