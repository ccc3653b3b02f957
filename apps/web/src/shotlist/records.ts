import { formatEighths as formatPageEighths } from '@clapper/domain';
import type { RecordSnapshot } from '@clapper/schema';

/** Plain snapshots of the stripboard's records, as the UI renders them; typed by the schema. */
export type SceneRecord = RecordSnapshot<'scenes'>;
export type ShotRecord = RecordSnapshot<'shots'>;
export type BannerRecord = RecordSnapshot<'day_banners'>;

export const shotSizes = ['EWS', 'WS', 'MWS', 'MS', 'MCU', 'CU', 'ECU', 'OTS', 'POV', 'INS', '2S'] as const;
export const shotMovements = [
  'Static',
  'Pan',
  'Tilt',
  'Dolly',
  'Track',
  'Crane',
  'Handheld',
  'Steadicam',
  'Gimbal',
  'Zoom',
] as const;
export const timesOfDay = ['DAY', 'NIGHT', 'DAWN', 'DUSK', 'MORNING', 'EVENING', 'CONTINUOUS'] as const;

/** Page length as a stripboard shows it: 11 eighths -> "1 3/8"; an empty cell when unknown. */
export function formatEighths(eighths: number | null): string {
  if (eighths === null || !Number.isFinite(eighths) || eighths <= 0) return '';
  return formatPageEighths(eighths);
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return m > 0 ? `${m}:${String(s).padStart(2, '0')}` : `${s}s`;
}
