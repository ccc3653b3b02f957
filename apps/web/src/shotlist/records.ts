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
