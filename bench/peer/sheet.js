// Peer pipeline for the QR sheet benchmark (docs/BENCHMARKS.md, "QR sheets"): the same codes as
// our exporter (read from the CSV that `export_bench --format csv` writes), laid out like our
// a4-3x8 template (core/export/label.cpp): QR (EC level M, 4-module quiet zone) on the left, code,
// product, machine and expiry on the right, one filled rectangle per run of dark modules, streams
// deflated (pdfkit's default), pages streamed to the file (no page buffering), CJK font subset.
//   node sheet.js CODES.csv OUT.pdf [FONT.ttc]
'use strict';
const fs = require('fs');
const PDFDocument = require('pdfkit');
const QRCode = require('qrcode');

const PT_PER_MM = 72 / 25.4;
const QUIET_ZONE = 4;
// assets/templates/a4-3x8.json
const SHEET = { pageW: 210, pageH: 297, marginLeft: 7.25, marginTop: 12.9, labelW: 63.5, labelH: 33.9,
                pitchX: 66, pitchY: 33.9, columns: 3, rows: 8 };
const PER_PAGE = SHEET.columns * SHEET.rows;

// RFC 4180 with a UTF-8 BOM, as core/export/csv.cpp writes it.
function parseCsv(text) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r') { /* part of CRLF */ }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  const header = rows.shift();
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

// label.cpp's expiryText/machineText.
function expiryText(r) {
  if (!r.expires_local) return 'No expiry';
  const local = r.expires_local.endsWith(':00') ? r.expires_local.slice(0, 16) : r.expires_local;
  return 'Expires ' + local;
}
function machineText(r) {
  if (!r.machine_name || r.machine_name === r.machine_no) return 'Machine ' + r.machine_no;
  return r.machine_no + ' ' + r.machine_name;
}

function drawQr(doc, text, x, y, side) {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size, data = qr.modules.data;
  const m = side / (n + 2 * QUIET_ZONE);
  const x0 = x + QUIET_ZONE * m, y0 = y + QUIET_ZONE * m;
  for (let row = 0; row < n; ++row) {
    let col = 0;
    while (col < n) {
      if (!data[row * n + col]) { ++col; continue; }
      const start = col;
      while (col < n && data[row * n + col]) ++col;
      doc.rect(x0 + start * m, y0 + row * m, (col - start) * m, m);
    }
  }
  doc.fill('black');
}

// label.cpp's fitText: shrink to fit (down to 70 % when the text may be cut), then cut with an ellipsis.
function fitText(doc, text, size, width, mayShorten) {
  doc.fontSize(size);
  const w = doc.widthOfString(text);
  if (w <= width) return text;
  const fitted = size * width / w * 0.999;
  doc.fontSize(mayShorten ? Math.max(size * 0.7, fitted) : fitted);
  if (!mayShorten || doc.widthOfString(text) <= width) return text;
  const chars = Array.from(text);
  while (chars.length && doc.widthOfString(chars.join('') + '\u2026') > width) chars.pop();
  return chars.join('') + '\u2026';
}

function drawLabel(doc, box, r) {
  const lines = [  // label.cpp's lines (its bold code line is the same face here, see main)
    { text: r.code, weight: 1.9, mayShorten: false },
    { text: r.product_name, weight: 1.0, mayShorten: true },
    { text: machineText(r), weight: 0.8, mayShorten: true },
    { text: expiryText(r), weight: 0.8, mayShorten: false },
  ];
  const pad = Math.min(Math.max(Math.min(box.w, box.h) * 0.05, 1), 3);
  const qrSide = Math.min(box.h - 2 * pad, box.w * 0.42);  // a4-3x8 labels are "wide": QR left, text right
  const qrX = box.x + pad, qrY = box.y + (box.h - qrSide) / 2;
  drawQr(doc, r.qr_text || r.code, qrX, qrY, qrSide);
  const text = { x: qrX + qrSide, y: box.y + pad, w: box.x + box.w - pad - (qrX + qrSide), h: box.h - 2 * pad };
  const unit = text.h / (lines.reduce((s, l) => s + l.weight, 0) * 1.2);
  let y = text.y;
  for (const line of lines) {
    const size = line.weight * unit;
    y += size * 1.2;
    if (!line.text) continue;
    const shown = fitText(doc, line.text, size, text.w, line.mayShorten);
    doc.text(shown, text.x, y - size * 0.22, { lineBreak: false, baseline: 'alphabetic' });
  }
}

function main() {
  const [csvPath, outPath, fontPath = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc'] = process.argv.slice(2);
  if (!csvPath || !outPath) {
    console.error('usage: node sheet.js CODES.csv OUT.pdf [FONT.ttc]');
    process.exit(2);
  }
  const start = process.hrtime.bigint();
  const rows = parseCsv(fs.readFileSync(csvPath, 'utf8'));
  const doc = new PDFDocument({ size: [SHEET.pageW * PT_PER_MM, SHEET.pageH * PT_PER_MM], margin: 0,
                                autoFirstPage: false, compress: true, info: { Creator: 'peer bench' } });
  const out = fs.createWriteStream(outPath);
  doc.pipe(out);
  // WenQuanYi Micro Hei has no bold face (cairo emboldens it synthetically), so there is one font
  // for every line. Registering the same face twice would defeat pdfkit's font cache: it re-reads
  // and re-parses the 5 MB TTC on every switch.
  doc.registerFont('label', fontPath, 'WenQuanYiMicroHei');
  doc.font('label');
  let pages = 0;
  for (let i = 0; i < rows.length; ++i) {
    const slot = i % PER_PAGE;
    if (slot === 0) {
      doc.addPage();
      doc.save();
      doc.scale(PT_PER_MM);  // user unit = 1 mm, like our cairo context
      ++pages;
    }
    const col = slot % SHEET.columns, row = Math.floor(slot / SHEET.columns);
    drawLabel(doc, { x: SHEET.marginLeft + col * SHEET.pitchX, y: SHEET.marginTop + row * SHEET.pitchY,
                     w: SHEET.labelW, h: SHEET.labelH }, rows[i]);
    if (slot === PER_PAGE - 1 || i === rows.length - 1) doc.restore();
  }
  doc.end();
  out.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`node_pdf codes=${rows.length} pages=${pages} seconds=${seconds.toFixed(2)} ` +
                `codes_per_s=${(rows.length / seconds).toFixed(0)} bytes=${fs.statSync(outPath).size} peak_rss_mb=${rss.toFixed(1)}`);
  });
}

main();
