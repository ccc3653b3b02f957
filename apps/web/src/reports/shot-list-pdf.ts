// The shot list as the camera department prints it: landscape, one block per scene (script
// order) or per shooting day (shooting order), a row per shot.
import { type ShotListGroup, type ShotListOrder, formatDuration } from '@clapper/domain';
import { type Column, ReportPdf } from './report-pdf.ts';

export async function renderShotListPdf(options: {
  production: string;
  order: ShotListOrder;
  groups: readonly ShotListGroup[];
}): Promise<Uint8Array> {
  const { production, order, groups } = options;
  const report = `Shot list by ${order}`;
  const pdf = await ReportPdf.create({ production, report, orientation: 'landscape' });
  const shots = groups.reduce((sum, group) => sum + group.scenes.reduce((n, scene) => n + scene.shots.length, 0), 0);
  pdf.text(`${production} — Shot list`, { size: 16, bold: true });
  pdf.text(`${order === 'scene' ? 'By scene' : 'By shooting day'} · ${shots} ${shots === 1 ? 'shot' : 'shots'}`, {
    color: 'grey',
  });
  pdf.space(6);
  const columns: Column[] = [
    { header: 'Shot', width: 0.6 },
    ...(order === 'day' ? [{ header: 'Scene', width: 0.6 }] : [{ header: 'Day', width: 0.45 }]),
    { header: 'Size', width: 0.55 },
    { header: 'Movement', width: 0.9 },
    { header: 'Lens', width: 0.6 },
    { header: 'Description', width: 4 },
    { header: 'Dur.', width: 0.5, align: 'right' },
    { header: 'Done', width: 0.45 },
  ];
  if (groups.length === 0) pdf.text('No scenes on the board yet.', { color: 'grey' });
  for (const group of groups) {
    if (order === 'day') pdf.banner(group.title);
    else pdf.section(group.title);
    for (const scene of group.scenes) {
      if (order === 'day') pdf.text(`Scene ${scene.number} — ${scene.heading}`, { bold: true });
      if (scene.shots.length === 0) {
        pdf.text('No shots yet.', { color: 'grey' });
        continue;
      }
      pdf.table(
        columns,
        scene.shots.map(({ shot, day }) => [
          shot.label,
          order === 'day' ? scene.number : String(day),
          shot.size,
          shot.movement,
          shot.lens,
          shot.description,
          formatDuration(shot.durationS),
          shot.done ? 'Yes' : '',
        ]),
      );
      pdf.space(4);
    }
    pdf.space(4);
  }
  return pdf.save();
}
