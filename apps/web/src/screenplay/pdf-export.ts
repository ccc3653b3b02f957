// The script as a screenwriter's PDF, made in the browser (works offline): pdf-lib with
// its built-in Courier faces (nothing to fetch), drawing exactly the pages
// `paginateScript` lays out, so the PDF and the shot list's eighths agree.
import { type PaginatedScript, type PrintedFragment, pageLayout } from '@clapper/domain';
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';
import { encodable } from '../lib/pdf-text.ts';

const pt = 72;
// Courier's baseline sits this far below the top of its 12 pt line.
const baselinePt = 9.5;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  boldItalic: PDFFont;
}

function drawFragment(page: PDFPage, fonts: Fonts, fragment: PrintedFragment): void {
  const size = pageLayout.fontSizePt;
  const y = (pageLayout.heightIn - pageLayout.topIn - fragment.row * pageLayout.lineHeightIn) * pt - baselinePt;
  let x = fragment.x * pt;
  for (const run of fragment.runs) {
    const text = encodable(run.text);
    const font = run.bold ? (run.italic ? fonts.boldItalic : fonts.bold) : run.italic ? fonts.italic : fonts.regular;
    if (text.trim() !== '') page.drawText(text, { x, y, size, font, color: rgb(0, 0, 0) });
    const width = text.length * pageLayout.charWidthIn * pt;
    if (run.underline && text.length > 0)
      page.drawLine({ start: { x, y: y - 1.5 }, end: { x: x + width, y: y - 1.5 }, thickness: 0.6 });
    x += width;
  }
}

/** The PDF's bytes: the title page (if any), then every page, numbered `2.` onwards top right. */
export async function renderScriptPdf(script: PaginatedScript, title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setCreator('Clapper');
  const fonts: Fonts = {
    regular: await pdf.embedFont(StandardFonts.Courier),
    bold: await pdf.embedFont(StandardFonts.CourierBold),
    italic: await pdf.embedFont(StandardFonts.CourierOblique),
    boldItalic: await pdf.embedFont(StandardFonts.CourierBoldOblique),
  };
  const size: [number, number] = [pageLayout.widthIn * pt, pageLayout.heightIn * pt];
  if (script.titlePage) {
    const page = pdf.addPage(size);
    for (const fragment of script.titlePage) drawFragment(page, fonts, fragment);
  }
  for (const scriptPage of script.pages) {
    const page = pdf.addPage(size);
    for (const fragment of scriptPage.fragments) drawFragment(page, fonts, fragment);
    if (scriptPage.number > 1) {
      const label = `${scriptPage.number}.`;
      page.drawText(label, {
        x: (pageLayout.rightMarginIn - label.length * pageLayout.charWidthIn) * pt,
        y: (pageLayout.heightIn - pageLayout.pageNumberTopIn) * pt - baselinePt,
        size: pageLayout.fontSizePt,
        font: fonts.regular,
      });
    }
  }
  return pdf.save();
}
