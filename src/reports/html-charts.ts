// The script that draws the HTML report's charts in the reader's browser, from the JSON the page
// carries. It holds no user text (names and titles arrive as data) and no interface words: dates
// and times are formatted by the browser's Intl for the report's language.
//
// Why it is more than a few Chart.js options:
// - A linear time axis picks ticks by number, so a day's sessions read "11-29 11-29 11-29" and
//   ninety days read uneven dates. Ticks here fall on whole hours (one day: times) or whole days
//   (longer: dates), as many as the width allows, each label once.
// - Chinese persona titles have no spaces to wrap at and can fill a phone's width: axis labels are
//   wrapped to two lines within a share of the chart and shortened with "…"; the tooltip and the
//   table below the chart keep the whole title.
export const CHART_SCRIPT = `
(function(){
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var palette = ["#2563eb","#dc2626","#16a34a","#d97706","#7c3aed","#0891b2","#db2777","#65a30d","#4b5563","#ea580c"];
  var charts = [];
  var HOUR = 3600000, DAY = 86400000;
  // Canvas text does not inherit the page's CSS: give charts the same fonts, Chinese ones included.
  Chart.defaults.font.family = 'system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif';

  function make(id, config){
    var el = document.getElementById(id);
    if (!el) return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false }, config.options || {});
    charts.push(new Chart(el, config));
  }

  // ---- text that fits --------------------------------------------------------------------------
  var TOKENS = /[\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]|[^\\s\\u2e80-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef]+|\\s+/g;
  function measurer(chart){
    var font = Chart.helpers.toFont(Chart.defaults.font).string;
    return function(s){
      chart.ctx.save(); chart.ctx.font = font;
      var w = chart.ctx.measureText(s).width;
      chart.ctx.restore();
      return w;
    };
  }
  function shorten(text, max, measure){
    var chars = Array.from(text);
    while (chars.length > 1 && measure(chars.join("") + "\\u2026") > max) chars.pop();
    return chars.join("").replace(/\\s+$/, "") + "\\u2026";
  }
  /** Lines of at most max pixels: Chinese breaks between characters, other text between words. */
  function wrap(chart, text, max, maxLines){
    var measure = measurer(chart);
    var tokens = String(text).match(TOKENS) || [String(text)];
    var lines = [], cur = "";
    for (var i = 0; i < tokens.length; i++){
      var next = cur + tokens[i];
      if (cur.trim() === "" || measure(next.trim()) <= max) { cur = next; continue; }
      lines.push(cur.trim());
      cur = /^\\s+$/.test(tokens[i]) ? "" : tokens[i];
    }
    if (cur.trim() !== "") lines.push(cur.trim());
    var out = [];
    for (var j = 0; j < lines.length; j++){
      var last = out.length === maxLines - 1;
      if (measure(lines[j]) > max || (last && j < lines.length - 1)) { out.push(shorten(lines[j], max, measure)); break; }
      out.push(lines[j]);
    }
    return out.length === 1 ? out[0] : out;
  }
  function axisLabels(labels, share){
    return function(value){
      var chart = this.chart;
      return wrap(chart, labels[value] == null ? "" : labels[value], Math.max(60, chart.width * share), 2);
    };
  }
  function fullTitle(labels){
    return function(items){
      if (!items.length) return "";
      var chart = this && this.chart ? this.chart : null;
      var text = labels[items[0].dataIndex];
      return chart ? wrap(chart, text, chart.width * 0.85, 6) : text;
    };
  }

  // ---- the time axis ---------------------------------------------------------------------------
  var xs = [];
  data.scores.forEach(function(t){ t.points.forEach(function(p){ xs.push(p.x); }); });
  var lo = xs.length ? Math.min.apply(null, xs) : 0, hi = xs.length ? Math.max.apply(null, xs) : 0;
  var oneDay = Math.floor(lo / DAY) === Math.floor(hi / DAY);
  var manyYears = new Date(lo).getUTCFullYear() !== new Date(hi).getUTCFullYear();
  // x is the wall-clock time of the report's zone written as UTC: format it as UTC.
  var timeText = new Intl.DateTimeFormat(data.lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
  var dayText = new Intl.DateTimeFormat(data.lang, manyYears
    ? { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" }
    : { month: "short", day: "numeric", timeZone: "UTC" });
  var fullText = new Intl.DateTimeFormat(data.lang, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });
  // One day: the range in whole hours, ticks every half hour to half a day. Longer: the range in
  // whole days, ticks every day, two days, Monday, other Monday, or on the first of every 1, 2, 3,
  // 6 or 12 months: the finest that fits the width.
  var HOURS = [HOUR / 2, HOUR, 2 * HOUR, 3 * HOUR, 4 * HOUR, 6 * HOUR, 12 * HOUR];
  var MONDAY = 4 * DAY; // 1970-01-05 was a Monday
  function everyMs(step, offset){
    return function(min, max){
      var out = [];
      for (var v = Math.ceil((min - offset) / step) * step + offset; v <= max; v += step) out.push(v);
      return out;
    };
  }
  function everyMonths(n){
    return function(min, max){
      var out = [], d = new Date(min), y = d.getUTCFullYear(), m = d.getUTCMonth();
      for (;;) {
        var v = Date.UTC(y, m, 1);
        if (v > max) break;
        if (v >= min && m % n === 0) out.push(v);
        m++; if (m === 12) { m = 0; y++; }
      }
      return out;
    };
  }
  var CHOICES = oneDay
    ? HOURS.map(function(h){ return everyMs(h, 0); })
    : [everyMs(DAY, 0), everyMs(2 * DAY, 0), everyMs(7 * DAY, MONDAY), everyMs(14 * DAY, MONDAY),
       everyMonths(1), everyMonths(2), everyMonths(3), everyMonths(6), everyMonths(12)];
  var range = oneDay
    ? { min: Math.floor(lo / HOUR) * HOUR, max: Math.max(Math.ceil(hi / HOUR) * HOUR, Math.floor(lo / HOUR) * HOUR + HOUR) }
    : { min: Math.floor(lo / DAY) * DAY, max: Math.ceil((hi + 1) / DAY) * DAY };
  function ticksFor(width){
    var fits = Math.max(2, Math.floor((width || 300) / (oneDay ? 56 : 76)));
    var last = [];
    for (var i = 0; i < CHOICES.length; i++){
      last = CHOICES[i](range.min, range.max);
      if (last.length <= fits) return last;
    }
    return last;
  }
  var timeAxis = {
    type: "linear",
    bounds: "data",
    min: range.min,
    max: range.max,
    afterBuildTicks: function(scale){
      scale.ticks = ticksFor(scale.width).map(function(v){ return { value: v }; });
    },
    ticks: { callback: function(v){ return oneDay ? timeText.format(v) : dayText.format(v); }, maxRotation: 0, autoSkip: true }
  };

  make("chart-scores", {
    type: "line",
    data: { datasets: data.scores.map(function(t, i){
      return { label: t.name, data: t.points, borderColor: palette[i % palette.length],
               backgroundColor: palette[i % palette.length], tension: 0.2, pointRadius: 3 };
    }) },
    options: {
      parsing: false,
      scales: { x: timeAxis, y: { min: 0, max: 100 } },
      plugins: {
        legend: { position: "bottom", labels: { generateLabels: function(chart){
          var items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
          items.forEach(function(item){ item.text = wrap(chart, item.text, chart.width * 0.7, 1); });
          return items;
        } } },
        tooltip: { callbacks: { title: function(items){ return items.length ? fullText.format(items[0].parsed.x) : ""; } } }
      }
    }
  });
  make("chart-criteria", {
    type: "bar",
    data: { labels: data.criteria.labels, datasets: [{ label: data.labels.criteria, data: data.criteria.values, backgroundColor: "#2563eb" }] },
    options: { indexAxis: "y", scales: { x: { min: 0, max: 100 }, y: { ticks: { callback: axisLabels(data.criteria.labels, 0.34), autoSkip: false } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: fullTitle(data.criteria.labels) } } } }
  });
  make("chart-personas", {
    type: "bar",
    data: { labels: data.personas.labels, datasets: [{ label: data.labels.personas, data: data.personas.values, backgroundColor: "#d97706" }] },
    options: { indexAxis: "y", scales: { x: { min: 0, max: 100 }, y: { ticks: { callback: axisLabels(data.personas.labels, 0.34), autoSkip: false } } },
      plugins: { legend: { display: false }, tooltip: { callbacks: { title: fullTitle(data.personas.labels) } } } }
  });
  window.reportCharts = charts;
})();
`;
