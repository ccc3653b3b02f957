export { ScreenplayEditor, type ScreenplayEditorProps } from './screenplay-editor.tsx';
export {
  type ScreenplayElementType,
  elementAfterEnter,
  elementAfterTab,
  elementForEmptyEnter,
  elementForShortcutDigit,
  screenplayElementLabels,
  screenplayElementTypes,
} from './element-flow.ts';
