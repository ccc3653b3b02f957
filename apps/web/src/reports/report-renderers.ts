// Every printed report's renderer in one chunk (with pdf-lib), loaded apart from the app.
export { renderCallSheetPdf } from './call-sheet-pdf.ts';
export { renderOneLinerPdf } from './one-liner-pdf.ts';
export { renderShotListPdf } from './shot-list-pdf.ts';
