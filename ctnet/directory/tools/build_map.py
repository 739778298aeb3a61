"""Convert world-atlas TopoJSON (Natural Earth 1:110m) into the vendored map of the directory.

Run once, by hand, when the source changes (see ``ctnet/directory/data/README.md``):

    cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python ctnet/directory/tools/build_map.py /tmp/package/countries-110m.json \
        ctnet/directory/data/countries-110m.json

The output maps ISO 3166-1 alpha-3 codes to SVG path strings, already projected (plate carrée,
Antarctica left out) and rounded to whole units of the view box, so the page does no geometry.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

WIDTH = 1000  # view box width; 360 degrees of longitude
SCALE = WIDTH / 360
NORTH, SOUTH = 84.0, -58.0  # latitudes kept; beyond them only Antarctica and ice
HEIGHT = round((NORTH - SOUTH) * SCALE)


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Arcs in longitude/latitude: TopoJSON stores them quantised and delta-encoded."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(
    ring: list[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in ring:
        # A negative index (~i) means arc i walked backwards; shared points are not repeated.
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def project(lon: float, lat: float) -> tuple[int, int]:
    lat = max(min(lat, NORTH), SOUTH)
    return round((lon + 180) * SCALE), round((NORTH - lat) * SCALE)


def unwrap(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Keep rings that cross the 180th meridian (Russia, Fiji) continuous.

    Without this, a ring jumping from +180 to -180 draws a stripe across the whole map; shifted
    by 360 degrees instead, the part beyond the edge is simply clipped by the SVG view box.
    """
    result: list[tuple[float, float]] = []
    offset = 0.0
    for lon, lat in points:
        if result:
            step = lon + offset - result[-1][0]
            if step > 180:
                offset -= 360
            elif step < -180:
                offset += 360
        result.append((lon + offset, lat))
    return result


def ring_path(points: list[tuple[float, float]]) -> str:
    """Relative SVG moves ("l dx dy") on whole units: a third the size of absolute decimals."""
    projected: list[tuple[int, int]] = []
    for lon, lat in unwrap(points):
        p = project(lon, lat)
        if not projected or p != projected[-1]:
            projected.append(p)
    if len(projected) < 3:
        return ""
    (x0, y0), parts = projected[0], []
    prev = projected[0]
    for x, y in projected[1:]:
        parts.append(f"{x - prev[0]} {y - prev[1]}")
        prev = (x, y)
    return f"M{x0} {y0}l" + " ".join(parts).replace(" -", "-") + "z"


def iso3(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_3 if country is not None else None


def convert(topology: dict) -> dict:
    arcs = decode_arcs(topology)
    shapes: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = iso3(geometry.get("id"))
        if code is None or code == "ATA":
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        path = "".join(
            ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon
        )
        if path:
            shapes[code] = shapes.get(code, "") + path
    return {"width": WIDTH, "height": HEIGHT, "shapes": dict(sorted(shapes.items()))}


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    result = convert(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(json.dumps(result, separators=(",", ":")), encoding="utf-8")
    print(f"{len(result['shapes'])} shapes, {target.stat().st_size} bytes -> {target}")


if __name__ == "__main__":
    main()
