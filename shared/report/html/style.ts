/**
 * The HTML report's stylesheet, inline in the document: light colours in print regardless of the
 * screen's dark mode, tables and charts kept whole across pages where possible, A4 and US Letter.
 */
export const STYLE = `
:root{--fg:#111;--muted:#555;--line:#c9ccd1;--grid:#e3e5e8;--grid-strong:#b9bdc3;--bg:#fff;--panel:#f4f5f7;--accent:#1b3f7a;--coh:#8a8f98;--good:#1d6b3a;--bad:#a12a1f;--warn:#7a5200;--chart-bg:#fff;color-scheme:light dark}
@media screen and (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--muted:#a8adb5;--line:#4a4f57;--grid:#30343a;--grid-strong:#555b63;--bg:#15171a;--panel:#1f2227;--accent:#9cc0ff;--coh:#8d939c;--good:#6fd08f;--bad:#ff8a7d;--warn:#e5b760;--chart-bg:#1b1e22}}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0 auto;max-width:60rem;padding:2rem 1.5rem 3rem;color:var(--fg);background:var(--bg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;font-variant-numeric:tabular-nums}
h1{font-size:1.7em;line-height:1.25;margin:.15rem 0 .4rem;overflow-wrap:anywhere}
h2{font-size:1.15em;margin:2rem 0 .6rem;padding-bottom:.25rem;border-bottom:2px solid var(--fg)}
h3{font-size:.95em;margin:1rem 0 .4rem}
p{margin:.4rem 0}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:.88em;overflow-wrap:anywhere}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.75em;color:var(--muted);margin:0}
.setup-line{font-size:1.05em;margin:.2rem 0 .6rem;overflow-wrap:anywhere}
.muted,.note{color:var(--muted)}
.note{font-size:.85em}
table{border-collapse:collapse}
table.kv{width:100%;font-size:.9em}
table.kv th{text-align:left;font-weight:600;vertical-align:top;padding:.15rem 1rem .15rem 0;white-space:nowrap;width:1%}
table.kv td{padding:.15rem 0;vertical-align:top;overflow-wrap:anywhere}
table.meta{width:auto}
table.data{width:100%;font-size:.88em;margin:.4rem 0}
table.data th,table.data td{border-bottom:1px solid var(--line);padding:.25rem .5rem;text-align:left}
table.data thead th{border-bottom:2px solid var(--fg);font-weight:600;vertical-align:bottom}
table.data .num{text-align:right}
table.stats{width:auto;min-width:60%}
tr.fail .result{color:var(--bad);font-weight:700}
tr.pass .result{color:var(--good);font-weight:700}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(11.5rem,1fr));gap:.6rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.55rem .7rem;background:var(--panel)}
.cards-main{grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));margin-bottom:.6rem}
.card-label{font-size:.75em;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.card-value{font-size:1.15em;font-weight:650;white-space:nowrap}
.card-value.big{font-size:2em;line-height:1.2}
.card-sub{font-size:.8em;color:var(--muted)}
.no-result{border:2px solid var(--bad);border-radius:6px;padding:.8rem 1rem}
.no-result-title{font-size:1.6em;font-weight:700;color:var(--bad);margin:0 0 .3rem}
.outcome{font-size:1em}
.badge{display:inline-block;font-weight:700;border:2px solid currentColor;border-radius:4px;padding:.05rem .45rem;margin-right:.4rem}
.outcome-better .badge,.outcome-within .badge{color:var(--good)}
.outcome-worse .badge{color:var(--bad)}
.outcome-inconclusive .badge{color:var(--warn)}
.narrow-spread{font-size:1.1em;padding:2em 1em;text-align:center;border:1px solid var(--line);border-radius:4px}
.claim-row{border-collapse:collapse;font-size:.9em;margin:.5em 0}.claim-row th,.claim-row td{border:1px solid var(--line);padding:.2em .45em;text-align:left;vertical-align:top}.claim-row mark{background:var(--panel);color:inherit;font-weight:600}
.startup{color:var(--warn)}
.startup-area{fill:var(--panel);stroke:none}
blockquote{margin:.3rem 0 .6rem;padding:.4rem .8rem;border-left:3px solid var(--line);background:var(--panel);white-space:pre-wrap;overflow-wrap:anywhere}
.quote-label{font-size:.85em;font-weight:600;margin-bottom:0}
ul.notes,ul.warnings{margin:.3rem 0;padding-left:1.3rem}
.provenance p:not(.note),.provenance ul.notes,.provenance blockquote,ul.warnings{font-size:.9em}
ul.notes li,ul.warnings li{margin:.2rem 0;overflow-wrap:anywhere}
ul.warnings code{font-weight:700;margin-right:.3rem}
.user-notes{white-space:pre-wrap;overflow-wrap:anywhere;border-left:3px solid var(--line);padding:.3rem .8rem}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:0 2rem}
figure{margin:1rem 0 1.4rem}
figcaption{font-size:.85em;margin-bottom:.3rem}
svg.chart{display:block;width:100%;height:auto;border:1px solid var(--line);background:var(--chart-bg)}
svg.chart .bg{fill:var(--chart-bg)}
svg.chart text{fill:var(--fg)}
svg.chart .tick{font-size:10.5px}
svg.chart .axis-title{font-size:11.5px;font-weight:600}
svg.chart .legend{font-size:10.5px}
svg.chart .coh{fill:var(--muted)}
svg.chart .frame{fill:none;stroke:var(--fg);stroke-width:1}
svg.chart .grid,svg.chart .grid-minor{stroke:var(--grid);stroke-width:.8}
svg.chart .grid-major{stroke:var(--grid-strong);stroke-width:1}
svg.chart .strip{stroke:var(--grid-strong);stroke-width:1;stroke-dasharray:2 2}
svg.chart .median{stroke:var(--fg);stroke-width:1.2;stroke-dasharray:6 3}
svg.chart .pt{fill:var(--accent);stroke:none}
svg.chart .pt-hollow{fill:none;stroke:var(--accent);stroke-width:1.1}
svg.chart .pt-off{fill:none;stroke:var(--fg);stroke-width:1}
svg.chart .range{stroke:var(--accent);stroke-width:1.2;fill:none}
svg.chart .mark-dropout{stroke:var(--bad);stroke-width:1.6;fill:none}
svg.chart .mark-nc{stroke:var(--muted);stroke-width:1.6;fill:none}
svg.chart .bar{fill:var(--accent);fill-opacity:.8;stroke:var(--chart-bg);stroke-width:.6}
svg.chart .group-pt{stroke:none}svg.chart .group-line{fill:none;stroke-width:2}
svg.chart .group-pt.series-0{fill:#0072b2}svg.chart .group-line.series-0{stroke:#0072b2}svg.chart .group-pt.series-1{fill:#d55e00}svg.chart .group-line.series-1{stroke:#d55e00}svg.chart .group-pt.series-2{fill:#009e73}svg.chart .group-line.series-2{stroke:#009e73}svg.chart .group-pt.series-3{fill:#cc79a7}svg.chart .group-line.series-3{stroke:#cc79a7}svg.chart .group-pt.series-4{fill:#e69f00}svg.chart .group-line.series-4{stroke:#e69f00}svg.chart .group-pt.series-5{fill:#56b4e9}svg.chart .group-line.series-5{stroke:#56b4e9}svg.chart .group-pt.series-6{fill:#8c6d1f}svg.chart .group-line.series-6{stroke:#8c6d1f}svg.chart .group-pt.series-7{fill:#666666}svg.chart .group-line.series-7{stroke:#666666}
svg.chart .trace{stroke:var(--accent);stroke-width:1.8;fill:none;stroke-linejoin:round}
svg.chart .trace-coh{stroke:var(--coh);stroke-width:1.2;fill:none;stroke-dasharray:4 2}
table.events{font-size:.78em;width:auto;min-width:70%}
table.events td,table.events th{padding:.1rem .6rem;text-align:right}
table.events td:last-child,table.events th:last-child{text-align:left}
table.events tr.st-low-confidence td,table.events tr.st-not-captured td{color:var(--muted)}
table.events tr.st-dropout td{color:var(--bad)}
footer.methods{margin-top:2.5rem;font-size:.85em}
footer.methods dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.4rem 0}
footer.methods dt{font-weight:600}
footer.methods dd{margin:0}
footer.methods .note{font-size:1em}
.colophon{margin-top:1rem;color:var(--muted);font-size:.95em}
@page{margin:14mm 13mm}
@media print{
:root{--fg:#000;--muted:#444;--line:#999;--grid:#ddd;--grid-strong:#aaa;--bg:#fff;--panel:#fff;--accent:#1b3f7a;--coh:#777;--chart-bg:#fff}
body{max-width:none;padding:0;font-size:9.5pt;line-height:1.4}
h1{font-size:17pt}
h2{font-size:12pt;margin-top:1.2rem;break-after:avoid;page-break-after:avoid}
h3{break-after:avoid;page-break-after:avoid}
.card{background:none}
.card-value.big{font-size:18pt}
blockquote{background:none}
figure,blockquote,table.kv,table.stats,table.lipsync,.cards,.no-result,footer.methods dl{break-inside:avoid;page-break-inside:avoid}
table.events{font-size:7pt;line-height:1.25;width:100%;min-width:0}
table.events td,table.events th{padding:.02rem .4rem}
.events-wrap{columns:2;column-gap:8mm}
thead{display:table-header-group}
tr{break-inside:avoid;page-break-inside:avoid}
svg.chart{border-color:#999}
}
`;
