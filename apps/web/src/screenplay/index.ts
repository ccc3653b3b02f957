export { ScreenplayEditor, type ScreenplayEditorProps } from './screenplay-editor.tsx';
