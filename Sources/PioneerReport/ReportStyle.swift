// The report's one stylesheet, inlined so the file opens anywhere with no network: system fonts
// only, A4 pages, a goal never split across pages, and colours kept when printed (browsers drop
// backgrounds and light colours by default, which would empty the icons and status chips).
enum ReportStyle {
    static let css = """
    @page { size: A4; margin: 12mm; }
    * { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    html { color-scheme: light; }
    body { font-family: Arial, Helvetica, "Liberation Sans", sans-serif; font-size: 10.5pt; line-height: 1.4;
           color: #212b32; background: #ffffff; max-width: 200mm; margin: 0 auto; padding: 8mm; }
    h1 { font-size: 20pt; margin: 0 0 2mm; }
    h2 { font-size: 14pt; margin: 8mm 0 3mm; border-bottom: 2px solid #005eb8; padding-bottom: 1mm; }
    h3 { font-size: 12pt; margin: 0; }
    p { margin: 1.5mm 0; }
    code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 9pt; }
    .site-facts { color: #4c6272; margin: 0; }
    table { border-collapse: collapse; width: 100%; margin: 2mm 0; font-size: 9.5pt; }
    th, td { text-align: left; vertical-align: top; padding: 1mm 2mm; border-bottom: 1px solid #d8dde0; }
    thead th { border-bottom: 2px solid #768692; }
    table.facts th { width: 34%; font-weight: normal; color: #4c6272; }
    table.overview td.kind { font-weight: bold; }
    table.overview td.goal { width: 34%; }
    table.overview td { overflow-wrap: normal; }
    .goal { break-inside: avoid; page-break-inside: avoid; border-top: 1px solid #d8dde0; padding-top: 4mm; margin-top: 5mm; }
    .goal-head { display: flex; align-items: center; gap: 3mm; }
    .goal-head .icons { display: flex; gap: 1.5mm; flex: none; }
    .goal-head .goal-title { flex: 1; }
    .indicator { color: #4c6272; margin: 0.5mm 0 0; font-size: 9.5pt; }
    .status { flex: none; margin: 0; padding: 1mm 3mm; border-radius: 3mm; font-weight: bold; border: 2px solid #768692; }
    .status-achieved { background: #005eb8; border-color: #005eb8; color: #ffffff; }
    .status-on-track { background: #007f3b; border-color: #007f3b; color: #ffffff; }
    .status-at-risk { background: #ffb81c; border-color: #ffb81c; color: #212b32; }
    .status-off-track { background: #d5281b; border-color: #d5281b; color: #ffffff; }
    .status-no-data, .status-none { background: #f0f4f5; color: #212b32; }
    .confidence-gap { padding: 1.5mm 2.5mm; border-left: 4px solid #a6a6a6; background: #f0f4f5; }
    .confidence-gap.flag { border-left-color: #d5281b; background: #fde8e6; }
    .confidence-gap.pessimistic { border-left-color: #005eb8; background: #e8f1fb; }
    figure.chart { margin: 2mm 0; break-inside: avoid; page-break-inside: avoid; }
    svg.spc-chart { display: block; width: 100%; height: auto; font-family: Arial, Helvetica, "Liberation Sans", sans-serif; }
    figcaption.chart-summary { font-size: 9.5pt; color: #212b32; margin-top: 1mm; }
    .no-chart, .icon-note { font-style: italic; color: #4c6272; }
    .icon-note { width: 30mm; font-size: 8.5pt; margin: 0; }
    details.chart-data summary { cursor: pointer; color: #005eb8; }
    .key { display: grid; grid-template-columns: repeat(auto-fill, minmax(58mm, 1fr)); gap: 1mm 4mm; font-size: 9.5pt; }
    .key div { display: flex; align-items: center; gap: 2mm; }
    .key svg { flex: none; }
    .empty-kind { font-style: italic; color: #4c6272; }
    footer { margin-top: 8mm; color: #4c6272; font-size: 9pt; }
    @media print {
      body { padding: 0; max-width: none; font-size: 10pt; }
      details.chart-data { display: none; }
      h2 { break-after: avoid; page-break-after: avoid; }
    }
    """
}
