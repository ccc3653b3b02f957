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
  findOrphans,
  flattenStripboard,
  indexAfterMove,
  planMove,
  planStep,
  rowsWithout,
} from './shooting-days.ts';
export {
  lastTopLevelKey,
  planNewBanner,
  planNewScene,
  planNewShot,
  planOpeningBanner,
  planReturnBanner,
  planReturnShot,
} from './strip-inserts.ts';
export { type StripRecordRef, planDelete } from './strip-deletes.ts';
export { type DayTotal, deriveDayTotals } from './day-totals.ts';
export {
  type DayNight,
  type IntExt,
  type StripClass,
  type StripColour,
  classifyStrip,
  contrastRatio,
  stripPalette,
} from './strip-colours.ts';
export {
  type NumberedScene,
  type SceneNumberLock,
  compareSceneNumbers,
  deriveSceneNumbers,
  isNumberLocked,
  normalizeSceneNumber,
  planSceneNumberLock,
  sceneNumberProblem,
} from './scene-numbers.ts';
export {
  type HeadingFields,
  type Parsed,
  formatDuration,
  formatPageLength,
  headingFields,
  parseDuration,
  parsePageLength,
} from './board-entry.ts';
export {
  type ExtraScriptElement,
  type ScreenplayElement,
  type ScriptBlock,
  type ScriptElement,
  elementAfterEnter,
  elementAfterTab,
  elementForEmptyEnter,
  elementForShortcutDigit,
  extraScriptElements,
  isScreenplayElement,
  isScriptElement,
  isUppercaseElement,
  looksLikeSceneHeading,
  screenplayElementLabels,
  screenplayElements,
  scriptElementLabels,
  scriptElements,
  toCapitals,
} from './screenplay-elements.ts';
export {
  type CharacterCue,
  type SceneHeading,
  elementForTypedAction,
  isSceneHeadingLine,
  isSceneHeadingOrForced,
  isTransitionLine,
  isTypedCharacterCue,
  parseCharacterCue,
  parseSceneHeading,
  splitSceneNumber,
} from './screenplay-grammar.ts';
export {
  type BoardScene,
  type SceneToCreate,
  type ScenesFromScriptPlan,
  type ScriptScene,
  normalizeHeading,
  planSceneEighths,
  planScenesFromScript,
  scenesFromScript,
} from './scenes-from-script.ts';
export { looksLikeFountain, parseFountain } from './fountain-parse.ts';
export { printFountain } from './fountain-print.ts';
export { type DualSide, dualDialogueSides } from './dual-dialogue.ts';
export {
  type GroupedBlock,
  enterStartsNewGroup,
  groupScriptBlocks,
  mayStartGroupBefore,
  scriptGroupSize,
  scriptGroupType,
} from './script-groups.ts';
export { type StyledRun, printedText, styledRuns } from './fountain-emphasis.ts';
export {
  type PagedScene,
  type PaginatedScript,
  type PrintedFragment,
  type ScriptPage,
  formatEighths,
  pageLayout,
  paginateScript,
} from './script-pages.ts';
export {
  type TitlePageField,
  layoutTitlePage,
  parseTitlePageBlocks,
  projectNameForScript,
  scriptTitle,
} from './title-page.ts';
export { characterCueSuggestions, characterOfCue, startsParenthetical } from './screenplay-typing.ts';
export { type ScheduleDay, type ScheduleScene, type ScheduledScene, deriveSchedule } from './shooting-schedule.ts';
export {
  type CastMember,
  type CastPerson,
  type Casting,
  castIdsOf,
  castOfCharacters,
  compareCast,
} from './scene-cast.ts';
export {
  type ScriptCharacter,
  type ScriptCues,
  type ScriptSceneCharacters,
  charactersByScriptScene,
  charactersOfBoardScenes,
  foldCharacterName,
  sameScriptCues,
  scriptCharacters,
  scriptCues,
} from './script-characters.ts';
export { type ReportScene, type SceneLine, castIdsText, pagesPhrase, sceneNumberText } from './scene-line.ts';
export {
  type CallSheetContent,
  type CallSheetDay,
  type CastCallFields,
  type CastCallLine,
  type CrewCallFields,
  type CrewDepartment,
  type CrewPerson,
  type ReportBanner,
  type ReportSchedule,
  castCallLines,
  crewCallsByDepartment,
  deriveCallSheet,
} from './call-sheet.ts';
export { type OneLiner, deriveOneLiner, endOfDayText } from './one-liner.ts';
export {
  type ReportShot,
  type ShotListGroup,
  type ShotListOrder,
  type ShotListScene,
  shotListCsv,
  shotListGroups,
} from './shot-list-report.ts';
export { parseCsv } from './csv.ts';
export { derivedRecordId } from './derived-record-id.ts';
