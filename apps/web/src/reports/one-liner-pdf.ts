// The one-liner: the schedule at a glance, one line per scene grouped by shooting day,
// each day opened by its date and closed by a dark "End of Day" band with its pages.
import {
  type OneLiner,
  castIdsText,
  endOfDayText,
  formatPageLength,
  pagesPhrase,
  sceneNumberText,
} from '@clapper/domain';
import { type Column, ReportPdf } from './report-pdf.ts';

const columns: Column[] = [
  { header: 'Sc.', width: 0.7 },
  { header: 'I/E', width: 0.5 },
  { header: 'Set', width: 2 },
  { header: 'D/N', width: 0.7 },
  { header: 'Pages', width: 0.6, align: 'right' },
  { header: 'Synopsis', width: 3 },
  { header: 'Cast', width: 0.9 },
];

export async function renderOneLinerPdf(options: { production: string; oneLiner: OneLiner }): Promise<Uint8Array> {
  const { production, oneLiner } = options;
  const pdf = await ReportPdf.create({ production, report: 'One-liner', orientation: 'portrait' });
  pdf.text(`${production} — One-liner`, { size: 16, bold: true });
  pdf.text(
    `${oneLiner.days.length} shooting ${oneLiner.days.length === 1 ? 'day' : 'days'} · ${oneLiner.sceneCount} ${
      oneLiner.sceneCount === 1 ? 'scene' : 'scenes'
    } · ${pagesPhrase(oneLiner.eighths)}`,
    { color: 'grey' },
  );
  pdf.space(6);
  if (oneLiner.days.length === 0) pdf.text('No scenes on the board yet.', { color: 'grey' });
  for (const day of oneLiner.days) {
    pdf.text([`Day ${day.number}`, day.date.trim(), day.label.trim()].filter((part) => part !== '').join(' — '), {
      bold: true,
      size: 10,
    });
    if (day.scenes.length > 0) {
      pdf.table(
        columns,
        day.scenes.map((line) => [
          sceneNumberText(line),
          line.intExt,
          line.set,
          line.timeOfDay,
          formatPageLength(line.eighths),
          line.synopsis,
          castIdsText(line.castIds),
        ]),
      );
    }
    pdf.banner(endOfDayText(day));
    pdf.space(6);
  }
  return pdf.save();
}
