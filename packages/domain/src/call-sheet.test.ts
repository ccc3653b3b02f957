import { describe, expect, test } from 'vitest';
import {
  type CastCallFields,
  type CrewCallFields,
  castCallLines,
  crewCallsByDepartment,
  deriveCallSheet,
} from './call-sheet.ts';
import { castOfScenes, reportBoard } from './report-boards.test-support.ts';
import { castIdsOf } from './scene-cast.ts';
import { deriveSchedule } from './shooting-schedule.ts';

const people = [
  { id: 'p-maya', name: 'Ana Lima', castNumber: 1, department: 'Cast', role: 'Maya' },
  { id: 'p-tom', name: 'Ben Ode', castNumber: 2, department: 'Cast', role: 'Tom' },
  { id: 'p-keeper', name: 'Cy Dunn', castNumber: 5, department: 'Cast', role: 'Keeper' },
  { id: 'p-extra', name: 'Dee Fox', castNumber: null, department: 'Cast', role: 'Girl' },
  { id: 'p-dp', name: 'Eve Grant', castNumber: null, department: 'Camera', role: 'DP' },
  { id: 'p-ac', name: 'Abe Hart', castNumber: null, department: 'camera', role: '1st AC' },
  { id: 'p-ad', name: 'Ida Jones', castNumber: null, department: 'Production', role: '1st AD' },
  { id: 'p-gaffer', name: 'Kit Lowe', castNumber: null, department: 'Electric', role: 'Gaffer' },
  { id: 'p-chef', name: 'Mo Nash', castNumber: null, department: 'Catering', role: 'Chef' },
  { id: 'p-misc', name: 'Ned Orr', castNumber: null, department: '', role: '' },
  { id: 'p-vfx', name: 'Oz Pym', castNumber: null, department: 'VFX', role: 'Supervisor' },
];
const castings = [
  { personId: 'p-maya', character: 'MAYA' },
  { personId: 'p-tom', character: 'TOM' },
  { personId: 'p-tom', character: 'YOUNG TOM' },
  { personId: 'p-keeper', character: 'keeper ' },
  { personId: 'p-extra', character: 'GIRL' },
  { personId: 'p-gone', character: 'GHOST' },
];

const board = reportBoard([
  { scene: '1', heading: 'INT. LIGHTHOUSE - NIGHT', eighths: 11, synopsis: 'Maya climbs the stairs' },
  { scene: '2', heading: 'EXT. PIER - DAY', eighths: 3 },
  { day: 'b2', date: 'Wed 11 Mar', label: 'Harbour' },
  { scene: '3', heading: 'INT. CAR - NIGHT #3#', eighths: 6, shots: ['3A', { day: 'b3', date: 'Thu 12 Mar' }, '3B'] },
  { scene: '4', heading: 'EXT. ROAD - DUSK', eighths: 9 },
]);
const schedule = deriveSchedule(board.rows);
const characters = new Map<string, string[]>([
  ['scene-1', ['MAYA', 'KEEPER']],
  ['scene-2', ['TOM', 'GIRL', 'GHOST']],
  ['scene-3', ['YOUNG TOM', 'MAYA']],
  ['scene-4', []],
]);
const cast = castOfScenes(characters, castings, people);

describe('call sheet content from a board', () => {
  test('[CS1] Day 1 is the scenes before the first day break: their lines, pages, cast ids, and Day 2 in advance', () => {
    const sheet = deriveCallSheet(schedule, null, cast);
    expect(sheet?.day.number).toBe(1);
    expect(sheet?.dayCount).toBe(3);
    expect(sheet?.day.eighths).toBe(14);
    expect(sheet?.day.scenes).toEqual([
      {
        sceneId: 'scene-1',
        number: '1',
        heading: 'INT. LIGHTHOUSE - NIGHT',
        intExt: 'INT',
        set: 'LIGHTHOUSE',
        timeOfDay: 'NIGHT',
        synopsis: 'Maya climbs the stairs',
        eighths: 11,
        part: 1,
        parts: 1,
        castIds: [1, 5],
      },
      expect.objectContaining({ number: '2', intExt: 'EXT', set: 'PIER', timeOfDay: 'DAY', castIds: [2] }),
    ]);
    expect(sheet?.cast.map((member) => [member.person.id, member.characters])).toEqual([
      ['p-maya', ['MAYA']],
      ['p-tom', ['TOM']],
      ['p-keeper', ['KEEPER']],
      ['p-extra', ['GIRL']],
    ]);
    expect(sheet?.advance?.number).toBe(2);
    expect(sheet?.advance?.date).toBe('Wed 11 Mar');
    expect(sheet?.advance?.scenes.map((line) => [line.number, line.part, line.parts, line.eighths])).toEqual([
      ['3', 1, 2, 3],
    ]);
  });

  test('[CS1] a day a break starts: its date and label, split scenes as parts, the last day has no advance', () => {
    const day2 = deriveCallSheet(schedule, 'b2', cast);
    expect(day2?.day).toMatchObject({ number: 2, bannerId: 'b2', date: 'Wed 11 Mar', label: 'Harbour', eighths: 3 });
    expect(day2?.cast.map((member) => [member.person.id, member.characters])).toEqual([
      ['p-maya', ['MAYA']],
      ['p-tom', ['YOUNG TOM']],
    ]);
    const day3 = deriveCallSheet(schedule, 'b3', cast);
    expect(day3?.day.scenes.map((line) => [line.number, line.part, line.eighths, line.castIds])).toEqual([
      ['3', 2, 3, [1, 2]],
      ['4', 1, 9, []],
    ]);
    expect(day3?.day.eighths).toBe(12);
    expect(day3?.advance).toBeNull();
    expect(deriveCallSheet(schedule, 'no-such-break', cast)).toBeNull();
  });

  test('[CS1] with a break at the top, there is no Day 1 above it to ask for', () => {
    const topped = deriveSchedule(reportBoard([{ day: 'b1' }, { scene: '1', heading: 'INT. A - DAY' }]).rows);
    expect(deriveCallSheet(topped, null, cast)).toBeNull();
    expect(deriveCallSheet(topped, 'b1', cast)?.day.number).toBe(1);
  });

  test('[CS2] cast ids come from castings of the scene’s characters, folded, each once, ascending', () => {
    expect(castIdsOf(cast.get('scene-3') ?? [])).toEqual([1, 2]);
    expect(castIdsOf(cast.get('scene-2') ?? [])).toEqual([2]);
    expect(cast.get('scene-4')).toEqual([]);
  });

  test('[CS3] cast calls: the working cast in cast order with their typed calls; a call for someone no longer needed stays, flagged', () => {
    const sheet = deriveCallSheet(schedule, 'b2', cast);
    const calls: CastCallFields[] = [
      { id: 'c2', personId: 'p-tom', pickup: '06:00', makeup: '06:30', onSet: '07:30', notes: '' },
      { id: 'c1', personId: 'p-tom', pickup: '05:45', makeup: '', onSet: '', notes: 'older twin' },
      { id: 'c3', personId: 'p-keeper', pickup: '09:00', makeup: '', onSet: '', notes: '' },
      { id: 'c4', personId: 'p-deleted', pickup: '09:00', makeup: '', onSet: '', notes: '' },
    ];
    const lines = castCallLines(sheet?.cast ?? [], calls, people);
    expect(lines.map((line) => [line.person.id, line.call?.id ?? null, line.working])).toEqual([
      ['p-maya', null, true],
      ['p-tom', 'c1', true],
      ['p-keeper', 'c3', false],
    ]);
  });

  test('[CS4] crew calls by department: conventional order, then others A–Z, then no department; cast left out', () => {
    const calls: CrewCallFields[] = [{ id: 'k1', personId: 'p-gaffer', call: '06:00', notes: 'pre-light' }];
    const departments = crewCallsByDepartment(people, castings, calls);
    expect(departments.map((d) => [d.department, d.lines.map((line) => line.person.id)])).toEqual([
      ['Production', ['p-ad']],
      ['Camera', ['p-ac', 'p-dp']],
      ['Electric', ['p-gaffer']],
      ['Catering', ['p-chef']],
      ['VFX', ['p-vfx']],
      ['', ['p-misc']],
    ]);
    expect(departments[2]?.lines[0]?.call?.call).toBe('06:00');
    expect(departments[0]?.lines[0]?.call).toBeNull();
  });
});
