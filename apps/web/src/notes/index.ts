export { NotesEditor, type NotesEditorProps } from './notes-editor.tsx';
