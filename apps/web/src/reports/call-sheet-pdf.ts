// The call sheet as it goes out the evening before: portrait Letter, the production and
// "Day n of N" with the date at the head, calls, weather, locations with parking and the
// nearest hospital in boxes, then the day's scenes with their total, the cast's calls,
// crew calls by department, the advance schedule and the notes.
import {
  type CallSheetContent,
  type CallSheetDay,
  type CastCallFields,
  type CastCallLine,
  type CastPerson,
  type CrewCallFields,
  type CrewDepartment,
  type CrewPerson,
  castIdsText,
  formatPageLength,
  pagesPhrase,
  sceneNumberText,
} from '@clapper/domain';
import { type Column, ReportPdf } from './report-pdf.ts';

/** The typed fields of one sheet (the synced `call_sheets` columns). */
export interface CallSheetFields {
  readonly crewCall: string;
  readonly shootingCall: string;
  readonly locations: string;
  readonly parking: string;
  readonly hospital: string;
  readonly weather: string;
  readonly notes: string;
}

const sceneColumns: Column[] = [
  { header: 'Sc.', width: 0.8 },
  { header: 'Set and description', width: 4 },
  { header: 'D/N', width: 0.7 },
  { header: 'Pages', width: 0.6, align: 'right' },
  { header: 'Cast', width: 0.9 },
];

const pages = (eighths: number): string => formatPageLength(eighths) || '0';

function sceneRows(day: CallSheetDay): string[][] {
  return day.scenes.map((line) => [
    sceneNumberText(line),
    [line.heading, line.synopsis.trim()].filter((part) => part !== '').join('\n'),
    line.timeOfDay,
    formatPageLength(line.eighths),
    castIdsText(line.castIds),
  ]);
}

export async function renderCallSheetPdf(options: {
  production: string;
  content: CallSheetContent;
  sheet: CallSheetFields;
  cast: readonly CastCallLine<CastPerson, CastCallFields>[];
  crew: readonly CrewDepartment<CrewPerson, CrewCallFields>[];
}): Promise<Uint8Array> {
  const { production, content, sheet, cast, crew } = options;
  const { day } = content;
  const pdf = await ReportPdf.create({ production, report: `Call sheet — Day ${day.number}`, orientation: 'portrait' });
  const crewCall = sheet.crewCall.trim();
  pdf.text(production, { size: 18, bold: true }, { center: true });
  pdf.text('CALL SHEET', { size: 10, bold: true, color: 'grey' }, { center: true });
  pdf.space(6);
  pdf.boxes([
    { label: 'General crew call', lines: [crewCall || 'TBC'], size: 16 },
    {
      label: 'Shooting day',
      lines: [`Day ${day.number} of ${content.dayCount}`, day.date.trim() || 'Date TBC', day.label.trim()].filter(
        (line) => line !== '',
      ),
      size: 11,
    },
    {
      label: 'Shooting call · weather',
      lines: [
        sheet.shootingCall.trim() ? `Shooting call ${sheet.shootingCall.trim()}` : '',
        sheet.weather.trim(),
      ].filter((line) => line !== ''),
    },
  ]);
  pdf.boxes([
    { label: 'Location(s)', lines: [sheet.locations.trim() || '—'] },
    { label: 'Parking', lines: [sheet.parking.trim() || '—'] },
    { label: 'Nearest hospital', lines: [sheet.hospital.trim() || '—'] },
  ]);

  pdf.section(
    `Scenes — ${day.scenes.length} ${day.scenes.length === 1 ? 'scene' : 'scenes'}, ${pagesPhrase(day.eighths)}`,
  );
  if (day.scenes.length === 0) pdf.text('No scenes this day.', { color: 'grey' });
  else {
    pdf.table(sceneColumns, [...sceneRows(day), ['', 'Total pages', '', pages(day.eighths), '']]);
  }
  pdf.space(6);

  pdf.section('Cast');
  if (cast.length === 0) pdf.text('Nobody cast plays in these scenes.', { color: 'grey' });
  else {
    pdf.table(
      [
        { header: 'ID', width: 0.4 },
        { header: 'Character', width: 1.4 },
        { header: 'Cast', width: 1.4 },
        { header: 'Pick-up', width: 0.7 },
        { header: 'Hair & MU', width: 0.8 },
        { header: 'On set', width: 0.7 },
        { header: 'Remarks', width: 1.6 },
      ],
      cast.map((line) => [
        line.person.castNumber === null ? '' : String(line.person.castNumber),
        line.working ? line.characters.join(', ') : '(not in these scenes)',
        line.person.name,
        line.call?.pickup ?? '',
        line.call?.makeup ?? '',
        line.call?.onSet ?? '',
        line.call?.notes ?? '',
      ]),
    );
  }
  pdf.space(6);

  pdf.section('Crew calls');
  if (crew.length === 0) pdf.text('No crew listed.', { color: 'grey' });
  else {
    pdf.table(
      [
        { header: 'Department', width: 1.2 },
        { header: 'Name', width: 1.5 },
        { header: 'Job', width: 1.3 },
        { header: 'Call', width: 0.7 },
        { header: 'Notes', width: 2 },
      ],
      crew.flatMap((department) =>
        department.lines.map(({ person, call }, index) => [
          index === 0 ? department.department || 'Other' : '',
          person.name,
          person.role,
          call?.call.trim() || crewCall,
          call?.notes ?? '',
        ]),
      ),
    );
  }
  pdf.space(6);

  const advance = content.advance;
  pdf.section(
    advance
      ? `Advance schedule — Day ${advance.number}${advance.date.trim() ? `, ${advance.date.trim()}` : ''} — ${pagesPhrase(advance.eighths)}`
      : 'Advance schedule',
  );
  if (!advance) pdf.text('This is the last day on the board.', { color: 'grey' });
  else if (advance.scenes.length === 0) pdf.text('No scenes that day.', { color: 'grey' });
  else pdf.table(sceneColumns, sceneRows(advance));
  pdf.space(6);

  pdf.section('Notes');
  pdf.text(sheet.notes.trim() || '—');
  return pdf.save();
}
