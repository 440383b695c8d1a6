/**
 * The HTML report's verdict against the claim, with the claim's provenance: the article and its
 * verbatim quote, the provenance notes and any catalogue statements that contradict it.
 */
import { type Claim, findClaim, formatExpectation, loadClaimsCatalogue } from '../../claims/claims-catalogue';
import { OUTCOME_LABELS, quotedTableRow, statisticLabel } from '../labels';
import type { Report } from '../report-schema';
import { esc, keyValueTable, ms, num, signed } from './text';

/** Catalogue contradictions that cite this claim's own sentence or table row. */
function contradictionsFor(claim: Claim): ReturnType<typeof loadClaimsCatalogue>['contradictions'] {
  if (claim.kind === 'custom') return [];
  return loadClaimsCatalogue().contradictions.filter((k) =>
    k.statements.some((s) => s.file === claim.source.file && (claim.source.quote.includes(s.quote) || s.quote.includes(claim.source.quote))),
  );
}

export function verdictSection(report: Report): string {
  const verdict = report.analysis.verdict;
  if (report.analysis.status !== 'ok' || !verdict) {
    const claim = report.settings.claim;
    if (!claim) return '';
    // A claim was chosen but the analysis gave no result: say so, with the claim for reference.
    return (
      `<section aria-labelledby="h-verdict"><h2 id="h-verdict">Verdict against the claim</h2>` +
      `<p>No verdict: the analysis gave no result to compare with <strong>${esc(claim.name)}</strong> (${esc(formatExpectation(claim.expectation))}).</p>` +
      claimProvenance(claim) +
      `</section>`
    );
  }
  const v = verdict.claim;
  const claim: Claim | undefined = report.settings.claim ?? findClaim(v.claimId);
  const basis =
    report.settings.mode === 'dual-channel'
      ? 'latency after the timing reference (the microphone against the loopback of the output)'
      : verdict.basis === 'added' && report.analysis.added
        ? `added latency (measured − baseline ${ms(report.analysis.added.baselineMs)})`
        : 'total latency (no baseline subtracted)';
  const states = v.statistic === 'median' ? 'a typical latency' : v.statistic === 'spread' ? 'a spread' : `a ${statisticLabel(v.statistic)}`;
  const rows: Array<[string, string]> = [
    ['Claim', `${esc(v.claimName)} <span class="muted">(<code>${esc(v.claimId)}</code>)</span>`],
    ['Claimed', `${esc(formatExpectation(v.expectation))}, as the ${esc(statisticLabel(v.statistic))}${v.toleranceMs !== undefined ? ` (± ${num(v.toleranceMs, 1)} ms tolerance)` : ''}`],
    ['Measured', `${esc(statisticLabel(v.statistic))} ${ms(v.measuredMs, 1)}, from the ${basis}`],
    ['Margin', `${signed(v.marginMs, 1)} ms <span class="muted">(positive = on the good side of the claim)</span>`],
  ];
  return (
    `<section class="verdict" aria-labelledby="h-verdict"><h2 id="h-verdict">Verdict against the claim</h2>` +
    `<p class="outcome outcome-${v.outcome}"><span class="badge">${OUTCOME_LABELS[v.outcome]}</span> ${esc(v.summary)}</p>` +
    `<p>Compared: the measured <strong>${esc(statisticLabel(v.statistic))}</strong> of the ${basis.replace(/ \(.*\)$/, '')}, because the claim states ${states}.</p>` +
    keyValueTable(rows) +
    (claim ? claimProvenance(claim) : '<p class="note">The claim compared against is not stored in this report and is not in the catalogue.</p>') +
    `</section>`
  );
}

function claimProvenance(claim: Claim): string {
  const parts: string[] = ['<div class="provenance"><h3>Source of the claim</h3>'];
  if (claim.kind === 'custom') {
    parts.push(`<p>The reviewer's own profile “${esc(claim.name)}”, not a published figure.</p>`);
    if (claim.description) parts.push(`<blockquote>${esc(claim.description)}</blockquote>`);
  } else {
    const article = loadClaimsCatalogue().sources.find((s) => s.file === claim.source.file);
    const title = article?.title ?? claim.source.article;
    const author = article?.author ?? claim.source.author;
    const rows: Array<[string, string]> = [
      ['Article', `<cite>${esc(title)}</cite>${author ? ` by ${esc(author)}` : ''}`],
      ['File', `<code>${esc(claim.source.file)}</code> (a copy is kept with Latency Lab, <code>shared/claims/seeds/</code>)`],
      ['Where', esc(claim.source.location)],
      ['Claim text', `“${esc(claim.claimText)}”`],
    ];
    if (article?.stance) rows.push(['The article overall', esc(article.stance)]);
    if (claim.details && !quotedTableRow(claim)) {
      for (const [key, value] of Object.entries(claim.details)) rows.push([esc(key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (ch) => ch.toUpperCase())), esc(value)]);
    }
    parts.push(keyValueTable(rows));
    const row = quotedTableRow(claim);
    if (row) {
      parts.push(
        `<p class="quote-label">The table row, as the article gives it:</p><div class="events-wrap"><table class="claim-row"><thead><tr>${row.headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>` +
          `<tbody><tr>${row.cells.map((cell, i) => `<td>${i === row.claimColumn ? `<mark>${esc(cell)}</mark>` : esc(cell)}</td>`).join('')}</tr></tbody></table></div>`,
      );
    } else {
      parts.push(`<p class="quote-label">Verbatim quote:</p><blockquote class="quote">${esc(claim.source.quote)}</blockquote>`);
    }
    parts.push('<p class="note">Every catalogue figure is a claim by its article, not a fact; the measurement confirms or refutes it.</p>');
  }
  if (claim.notes && claim.notes.length > 0) {
    parts.push(`<h3>Provenance notes</h3><ul class="notes">${claim.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  }
  const contradictions = contradictionsFor(claim);
  if (contradictions.length > 0) {
    const titles = new Map(loadClaimsCatalogue().sources.map((s) => [s.file, s.title]));
    parts.push('<h3>Contradicting statements</h3>');
    for (const k of contradictions) {
      parts.push(
        `<p><strong>${esc(k.topic)}.</strong> ${esc(k.summary)}</p><ul class="notes">` +
          k.statements.map((s) => `<li><code>${esc(s.file)}</code>${titles.has(s.file) ? ` <span class="muted">(${esc(shorten(titles.get(s.file) as string, 70))})</span>` : ''}: “${esc(s.quote)}”</li>`).join('') +
          '</ul>',
      );
    }
  }
  parts.push('</div>');
  return parts.join('');
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
