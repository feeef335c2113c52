// The dashboard's charts as inline SVG, drawn by our own small code (no library). Each chart is
// one <svg role="img"> whose aria-label and <title> state the numbers it shows; its shapes are
// hidden from assistive technology. Numbers come in already formatted where they are text.

const SVG = "http://www.w3.org/2000/svg";

/** An SVG element with attributes; children are nodes or strings (set as text, never markup). */
function svgEl(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** The chart's frame: role="img", the label as aria-label and as <title>. */
function frame(width, height, label, className) {
  const svg = svgEl("svg", {
    viewBox: `0 0 ${width} ${height}`,
    role: "img",
    "aria-label": label,
    class: `chart ${className}`,
    focusable: "false",
  });
  svg.append(svgEl("title", {}, label));
  return svg;
}

/** A bar's height or width for `value` of `max` in `room` units (at least 1 unit when not zero). */
function extent(value, max, room) {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.max(1, (value / max) * room);
}

/**
 * Vertical bars, two series per day: `days` is `[{date, label, a, b}]`, `series` names the two
 * (`{a: {className}, b: {className}}`). `axis` formats the top value. The bars stretch to any
 * width; the axis words are HTML beside them (hidden from assistive technology: the label says
 * it all), so they stay readable on a phone.
 */
export function dayBars(days, { label, axis, series }) {
  const step = 10;
  const plot = 100;
  const width = Math.max(1, days.length) * step;
  const max = Math.max(1, ...days.map((d) => Math.max(d.a, d.b)));
  const svg = frame(width, plot, label, "day-bars");
  svg.setAttribute("preserveAspectRatio", "none");
  const group = svgEl("g", { "aria-hidden": "true" });
  group.append(svgEl("line", { x1: 0, x2: width, y1: 0.5, y2: 0.5, class: "grid", "vector-effect": "non-scaling-stroke" }));
  days.forEach((day, index) => {
    for (const [key, offset] of [["a", 1], ["b", 5]]) {
      const value = day[key];
      const h = extent(value, max, plot);
      group.append(svgEl("rect", {
        x: index * step + offset, y: plot - h, width: 4, height: h,
        class: `bar ${series[key].className}`, "data-value": value, "data-date": day.date,
      }));
    }
  });
  svg.append(group);
  const shown = days.length <= 1 ? [0] : [0, Math.floor((days.length - 1) / 2), days.length - 1];
  const xLabels = document.createElement("div");
  xLabels.className = "x-labels";
  for (const index of new Set(shown)) {
    if (!days[index]) continue;
    const tick = document.createElement("span");
    tick.textContent = days[index].label;
    xLabels.append(tick);
  }
  const yLabels = document.createElement("div");
  yLabels.className = "y-labels";
  for (const text of [axis(max), "0"]) {
    const tick = document.createElement("span");
    tick.textContent = text;
    yLabels.append(tick);
  }
  const chart = document.createElement("div");
  chart.className = "day-chart";
  xLabels.setAttribute("aria-hidden", "true");
  yLabels.setAttribute("aria-hidden", "true");
  chart.append(yLabels, svg, xLabels);
  return chart;
}

/**
 * Horizontal bars: `items` is `[{key, label, value, text, short}]` (`text` the value as shown,
 * `short` a few characters after it, e.g. the drop in a funnel).
 */
export function horizontalBars(items, { label, className = "" }) {
  const width = 420;
  const row = 30;
  const labelRoom = 180;
  const valueRoom = 76;
  const height = Math.max(1, items.length) * row + 4;
  const max = Math.max(1, ...items.map((item) => item.value));
  const svg = frame(width, height, label, `hbars ${className}`);
  const group = svgEl("g", { "aria-hidden": "true" });
  const room = width - labelRoom - valueRoom - 8;
  items.forEach((item, index) => {
    const y = index * row + 4;
    const w = extent(item.value, max, room);
    group.append(
      svgEl("text", { x: labelRoom - 8, y: y + 16, class: "bar-label", "text-anchor": "end" }, clip(item.label, 22)),
      svgEl("rect", { x: labelRoom, y: y + 3, width: room, height: 18, class: "track" }),
      svgEl("rect", {
        x: labelRoom, y: y + 3, width: w, height: 18, class: `bar series-${index % 6}`,
        "data-value": item.value, "data-key": item.key,
      }),
      svgEl("text", { x: labelRoom + w + 6, y: y + 16, class: "bar-value" }, item.short ? `${item.text} · ${item.short}` : item.text),
    );
  });
  svg.append(group);
  return svg;
}

/** One bar split into shares: `parts` is `[{key, value, className}]`. */
export function shareBar(parts, { label }) {
  const width = 420;
  const height = 40;
  const total = parts.reduce((sum, part) => sum + Math.max(0, part.value), 0);
  const svg = frame(width, height, label, "share-bar");
  const group = svgEl("g", { "aria-hidden": "true" });
  group.append(svgEl("rect", { x: 0, y: 4, width, height: 32, class: "track" }));
  let x = 0;
  for (const part of parts) {
    const w = total > 0 ? (Math.max(0, part.value) / total) * width : 0;
    group.append(svgEl("rect", {
      x, y: 4, width: w, height: 32, class: `bar ${part.className}`, "data-value": part.value, "data-key": part.key,
    }));
    x += w;
  }
  svg.append(group);
  return svg;
}

function clip(text, length) {
  const value = String(text);
  return value.length > length ? `${value.slice(0, length - 1)}…` : value;
}
