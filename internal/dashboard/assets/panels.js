// A panel is a chart with the table of its figures beneath and a CSV
// download of the same table. Numbers are formatted for reading; the CSV
// keeps them plain.

const charts = new Map();

export const fmt = new Intl.NumberFormat('zh-CN');

export function percent(rate) {
  return rate === null || rate === undefined ? '—' : (rate * 100).toFixed(1) + '%';
}

// yuan formats an exact decimal string of yuan ("12345.60") with group
// separators, without passing it through a float.
export function yuan(s) {
  const [whole, frac = '00'] = String(s).split('.');
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + frac;
}

// setStatus shows a message in the panel instead of (or above) its figures.
export function setStatus(panel, message) {
  const p = panel.querySelector('.status');
  p.textContent = message || '';
  p.hidden = !message;
  panel.classList.toggle('refused', Boolean(message) && !panel.dataset.hasData);
}

// render draws the chart (an ECharts option) and the table (headers, rows
// of cells), and remembers the rows for the CSV button.
export function render(panel, option, headers, rows) {
  panel.dataset.hasData = rows.length > 0 ? 'yes' : '';
  setStatus(panel, rows.length === 0 ? '统计期间内暂无数据。' : '');
  const box = panel.querySelector('.chart');
  box.hidden = false;
  let chart = charts.get(panel.id);
  if (!chart) {
    chart = window.echarts.init(box, null, { renderer: 'canvas' });
    charts.set(panel.id, chart);
  }
  chart.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option }, true);
  const table = panel.querySelector('table');
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  for (const h of headers) {
    const th = document.createElement('th');
    th.textContent = h;
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    r.forEach((cell, i) => {
      const td = tr.insertCell();
      td.textContent = cell.text;
      if (i > 0 && cell.numeric) td.className = 'num';
    });
  }
  panel._csv = { headers, rows };
  panel.querySelector('.csv').disabled = rows.length === 0;
}

// clear hides a panel's figures (a refused or failed statistic).
export function clear(panel, message) {
  panel.dataset.hasData = '';
  const chart = charts.get(panel.id);
  if (chart) chart.clear();
  panel.querySelector('.chart').hidden = true;
  panel.querySelector('table').replaceChildren();
  panel.querySelector('.csv').disabled = true;
  panel._csv = null;
  setStatus(panel, message);
}

export function resizeAll() {
  for (const c of charts.values()) c.resize();
}

// cell makes a table cell: text shown, raw value for the CSV.
export function cell(text, raw = text, numeric = false) {
  return { text: String(text), raw: String(raw), numeric };
}

export function num(n) {
  return cell(fmt.format(n), n, true);
}

// csv is the table as CSV (RFC 4180) in UTF-8 with a byte-order mark, so
// that Excel opens the Chinese headers as they are.
export function csv(headers, rows) {
  const quote = (s) => (/[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s);
  const lines = [headers.map(quote).join(',')];
  for (const r of rows) lines.push(r.map((c) => quote(c.raw)).join(','));
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

export function download(panel, period) {
  if (!panel._csv) return;
  const blob = new Blob([csv(panel._csv.headers, panel._csv.rows)], { type: 'text/csv;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${panel.dataset.title}_${period.from}_${period.to}.csv`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
