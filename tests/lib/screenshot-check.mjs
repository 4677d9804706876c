// Reads a screenshot and measures the decision map in it: how much of the picture is the
// palette's blue and orange, and how often the two alternate across the map's middle row
// (a learned spiral alternates several times; an untrained or blank map does not).
import fs from 'node:fs';
import { PNG } from 'pngjs';

function classify(r, g, b) {
  if (b > 120 && b > r + 60 && b > g + 10) return 'blue';
  if (r > 200 && g > 110 && g < 200 && b < 140 && r > b + 80) return 'orange';
  return null;
}

// region {x, y, w, h} (the output map's rectangle, from the widget locator) limits the measure
// to the map; without it the whole picture is measured.
export function analyzeDecisionMap(pngBytes, region) {
  const png = PNG.sync.read(pngBytes);
  const { width, height, data } = png;
  const rx0 = region ? Math.max(0, Math.ceil(region.x) + 2) : 0, ry0 = region ? Math.max(0, Math.ceil(region.y) + 2) : 0;
  const rx1 = region ? Math.min(width, Math.floor(region.x + region.w) - 2) : width;
  const ry1 = region ? Math.min(height, Math.floor(region.y + region.h) - 2) : height;
  let blue = 0, orange = 0;
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  const colours = new Set();
  for (let y = ry0; y < ry1; y++) {
    for (let x = rx0; x < rx1; x++) {
      const i = 4 * (y * width + x);
      const c = classify(data[i], data[i + 1], data[i + 2]);
      if (x % 4 === 0 && y % 4 === 0) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      if (!c) continue;
      if (c === 'blue') blue++; else orange++;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
  }
  // Alternations along the middle row of the coloured area, ignoring runs under 10 px (points, lines).
  let transitions = 0, last = null, run = 0, candidate = null;
  const row = Math.floor((y0 + y1) / 2);
  for (let x = x0; x <= x1 && row >= 0; x++) {
    const i = 4 * (row * width + x);
    const c = classify(data[i], data[i + 1], data[i + 2]);
    if (!c) continue;
    if (c === candidate) run++; else { candidate = c; run = 1; }
    if (run === 10 && c !== last) { if (last) transitions++; last = c; }
  }
  const total = (rx1 - rx0) * (ry1 - ry0);
  return { width, height, blueShare: blue / total, orangeShare: orange / total, transitions, distinctColours: colours.size,
           box: [x0, y0, x1, y1] };
}

export function analyzeFile(path, region) { return analyzeDecisionMap(fs.readFileSync(path), region); }
