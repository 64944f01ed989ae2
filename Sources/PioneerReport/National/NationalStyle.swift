// The national report's additions to the site report's stylesheet: the completeness grid's
// status chips (each with its words, so colour is never the only signal), the funnel plots,
// and numbers aligned for reading down a column.
enum NationalStyle {
    static let css = """
    body.national { max-width: 260mm; }
    nav.contents ul { margin: 1mm 0; padding-left: 5mm; }
    caption { text-align: left; color: #4c6272; font-size: 9pt; padding-bottom: 1mm; }
    td.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.rejected td:nth-child(3) { white-space: nowrap; }
    td.status-cell { text-align: center; }
    .chip { display: inline-block; padding: 0.3mm 2mm; border-radius: 2mm; font-weight: bold; font-size: 9pt; border: 1.5px solid #768692; }
    .chip.status-on-time { background: #007f3b; border-color: #007f3b; color: #ffffff; }
    .chip.status-late { background: #ffb81c; border-color: #ffb81c; color: #212b32; }
    .chip.status-incomplete { background: #fff3cd; border-color: #ffb81c; color: #212b32; }
    .chip.status-awaited { background: #f0f4f5; color: #212b32; }
    .chip.status-missing { background: #d5281b; border-color: #d5281b; color: #ffffff; }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    article.indicator { border-top: 1px solid #d8dde0; padding-top: 4mm; margin-top: 5mm; }
    .indicator-facts { color: #4c6272; margin: 0.5mm 0 2mm; }
    svg.funnel-plot { display: block; width: 100%; height: auto; font-family: Arial, Helvetica, "Liberation Sans", sans-serif; }
    figure.chart { break-inside: avoid; page-break-inside: avoid; }
    .series-head { display: flex; align-items: center; gap: 3mm; }
    .series-head .verdict { margin: 0; }
    tr.outside th, tr.outside td { background: #fff8e5; }
    .left-out { color: #4c6272; font-size: 9.5pt; }
    tr.gap.optimistic td { background: #fde8e6; }
    tr.gap.pessimistic td { background: #e8f1fb; }
    """
}
