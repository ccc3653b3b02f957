/**
 * Shot labels as script supervisors write them: scene number plus a letter ("12A",
 * "12B", …). I and O are skipped because on a slate they read as 1 and 0. After Z the
 * series starts again with a round number ("12A2", "12B2", …), so a label never repeats
 * within a scene however many shots it gets.
 */
export const shotLetters = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * The first label of the scene's series not already used. `usedLabels` is every label
 * the scene's shots have now, including ones typed by hand or added on another device,
 * so a label already on the board is never handed out twice on this device.
 */
export function nextShotLabel(sceneNumber: string, usedLabels: ReadonlySet<string>): string {
  for (let round = 1; ; round++) {
    for (const letter of shotLetters) {
      const label = `${sceneNumber}${letter}${round > 1 ? round : ''}`;
      if (!usedLabels.has(label)) return label;
    }
  }
}
