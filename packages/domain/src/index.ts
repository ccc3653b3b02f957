export {
  type FractionalKeyErrorCode,
  FractionalKeyError,
  compareKeys,
  isValidKey,
  keyBetween,
  keyDigits,
  keysBetween,
} from './fractional-key.ts';
export {
  type ShootingDay,
  type ShootingDays,
  type StripBanner,
  type StripMove,
  type StripRow,
  type StripScene,
  type StripShot,
  applyMove,
  currentSlot,
  deriveShootingDays,
  flattenStripboard,
  indexAfterMove,
  planMove,
  planStep,
  rowsWithout,
} from './shooting-days.ts';
export {
  type ScreenplayElement,
  type SceneHeading,
  elementAfterEnter,
  elementAfterTab,
  isScreenplayElement,
  isUppercaseElement,
  looksLikeSceneHeading,
  parseSceneHeading,
  screenplayElements,
} from './screenplay-elements.ts';
export {
  type BoardScene,
  type SceneToCreate,
  type ScenesFromScriptPlan,
  normalizeHeading,
  planScenesFromScript,
} from './scenes-from-script.ts';
