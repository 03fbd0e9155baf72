"""Fill deploy/nginx/securact.conf.template: ``python render.py KEY=VALUE ... > nginx.conf``.

Every placeholder must be given; a missing one is an error, never an empty path.
"""

from __future__ import annotations

import sys
from pathlib import Path
from string import Template

TEMPLATE = Path(__file__).with_name("securact.conf.template")


class BracedTemplate(Template):
    """Only ``${UPPER_CASE}`` is a placeholder: nginx's own ``$variables`` stay as they are."""

    pattern = r"""
    \$(?:
      (?P<escaped>(?!))
      | \{(?P<braced>[A-Z][A-Z_]*)\}
      | (?P<named>(?!))
      | (?P<invalid>(?!))
    )"""


def render(values: dict[str, str]) -> str:
    return BracedTemplate(TEMPLATE.read_text(encoding="utf-8")).substitute(values)


if __name__ == "__main__":
    pairs = dict(arg.split("=", 1) for arg in sys.argv[1:])
    sys.stdout.write(render(pairs))
