// The page furniture every printed report shares: US Letter, Helvetica (a standard PDF
// font, so nothing is fetched and the reports work offline), a running header with the
// production and report names, tables whose rows wrap and whose headers repeat on each new
// page, dark day banners, and "Page n of N" at the foot.
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';
import { encodable } from '../lib/pdf-text.ts';

const pt = 72;
const margin = 0.5 * pt;
const black = rgb(0, 0, 0);
const grey = rgb(0.45, 0.45, 0.45);
const rule = rgb(0.7, 0.7, 0.7);
const shade = rgb(0.9, 0.9, 0.9);
const banner = rgb(0.15, 0.15, 0.15);
const white = rgb(1, 1, 1);

export type Orientation = 'portrait' | 'landscape';

export interface Column {
  readonly header: string;
  /** A share of the table's width (the shares need not add up to 1). */
  readonly width: number;
  readonly align?: 'left' | 'right';
}

export interface TextStyle {
  readonly size?: number;
  readonly bold?: boolean;
  readonly color?: 'black' | 'grey';
}

/** Lines of `text` no wider than `width` points: breaks between words, and inside words too long for a line. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').split('\n').map(encodable)) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** A report being laid out top to bottom; `save()` numbers the pages and returns the PDF's bytes. */
export class ReportPdf {
  private page!: PDFPage;
  private y = 0;

  private constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly size: [number, number],
    private readonly running: { production: string; report: string },
  ) {
    this.newPage();
  }

  static async create(options: { production: string; report: string; orientation: Orientation }): Promise<ReportPdf> {
    const pdf = await PDFDocument.create();
    pdf.setTitle(`${options.production} — ${options.report}`);
    pdf.setCreator('Clapper');
    const letter: [number, number] = [8.5 * pt, 11 * pt];
    const size: [number, number] = options.orientation === 'portrait' ? letter : [letter[1], letter[0]];
    return new ReportPdf(
      pdf,
      await pdf.embedFont(StandardFonts.Helvetica),
      await pdf.embedFont(StandardFonts.HelveticaBold),
      size,
      { production: options.production, report: options.report },
    );
  }

  get width(): number {
    return this.size[0] - 2 * margin;
  }

  private get left(): number {
    return margin;
  }

  private font(style: TextStyle): PDFFont {
    return style.bold ? this.bold : this.regular;
  }

  private newPage(): void {
    this.page = this.pdf.addPage(this.size);
    const top = this.size[1] - margin;
    const size = 8;
    this.page.drawText(encodable(this.running.production), { x: this.left, y: top - size, size, font: this.bold });
    const report = encodable(this.running.report);
    this.page.drawText(report, {
      x: this.left + this.width - this.regular.widthOfTextAtSize(report, size),
      y: top - size,
      size,
      font: this.regular,
      color: grey,
    });
    this.page.drawLine({
      start: { x: this.left, y: top - size - 4 },
      end: { x: this.left + this.width, y: top - size - 4 },
      thickness: 0.5,
      color: rule,
    });
    this.y = top - size - 14;
  }

  /** Starts a new page unless `height` points still fit above the foot. */
  ensure(height: number): boolean {
    if (this.y - height >= margin + 16) return false;
    this.newPage();
    return true;
  }

  space(points: number): void {
    this.y -= points;
  }

  /** A paragraph, wrapped to `width` (the whole width by default). */
  text(text: string, style: TextStyle = {}, options: { x?: number; width?: number; center?: boolean } = {}): void {
    const size = style.size ?? 9;
    const font = this.font(style);
    const x = this.left + (options.x ?? 0);
    const width = options.width ?? this.width - (options.x ?? 0);
    for (const line of wrapText(text, font, size, width)) {
      this.ensure(size * 1.25);
      const lineX = options.center ? x + (width - font.widthOfTextAtSize(line, size)) / 2 : x;
      if (line !== '')
        this.page.drawText(line, {
          x: lineX,
          y: this.y - size,
          size,
          font,
          color: style.color === 'grey' ? grey : black,
        });
      this.y -= size * 1.25;
    }
  }

  /** A section title on a shaded band. */
  section(title: string): void {
    const size = 10;
    this.ensure(size + 8 + 24);
    this.page.drawRectangle({ x: this.left, y: this.y - size - 6, width: this.width, height: size + 6, color: shade });
    this.page.drawText(encodable(title), { x: this.left + 4, y: this.y - size - 2, size, font: this.bold });
    this.y -= size + 10;
  }

  /** A dark band with white text across the page: a day's start or end on a schedule. */
  banner(text: string): void {
    const size = 9;
    this.ensure(size + 8);
    this.page.drawRectangle({ x: this.left, y: this.y - size - 6, width: this.width, height: size + 6, color: banner });
    this.page.drawText(encodable(text), {
      x: this.left + 4,
      y: this.y - size - 2,
      size,
      font: this.bold,
      color: white,
    });
    this.y -= size + 10;
  }

  /**
   * Boxes side by side, each a label and wrapped lines (the call sheet's header blocks);
   * the row is as tall as its tallest box.
   */
  boxes(boxes: readonly { label: string; lines: readonly string[]; size?: number }[]): void {
    const gap = 6;
    const boxWidth = (this.width - gap * (boxes.length - 1)) / boxes.length;
    const laid = boxes.map((box) => {
      const size = box.size ?? 9;
      const lines = box.lines.flatMap((line) => wrapText(line, this.regular, size, boxWidth - 8));
      return { ...box, size, lines, height: 6 + 9 + lines.length * size * 1.25 + 4 };
    });
    const height = Math.max(...laid.map((box) => box.height));
    this.ensure(height + gap);
    laid.forEach((box, index) => {
      const x = this.left + index * (boxWidth + gap);
      this.page.drawRectangle({
        x,
        y: this.y - height,
        width: boxWidth,
        height,
        borderColor: rule,
        borderWidth: 0.75,
      });
      this.page.drawText(encodable(box.label.toUpperCase()), {
        x: x + 4,
        y: this.y - 11,
        size: 6.5,
        font: this.bold,
        color: grey,
      });
      let lineY = this.y - 15;
      for (const line of box.lines) {
        if (line !== '')
          this.page.drawText(line, { x: x + 4, y: lineY - box.size, size: box.size, font: this.regular });
        lineY -= box.size * 1.25;
      }
    });
    this.y -= height + gap;
  }

  /** A table: a bold header row (repeated on each new page), then rows whose cells wrap. */
  table(columns: readonly Column[], rows: readonly (readonly string[])[], options: { size?: number } = {}): void {
    const size = options.size ?? 8.5;
    const total = columns.reduce((sum, column) => sum + column.width, 0);
    const widths = columns.map((column) => (column.width / total) * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const lineHeight = size * 1.25;
    const header = (): void => {
      this.ensure(lineHeight * 2 + 4);
      columns.forEach((column, i) =>
        this.cell(column.header, xs[i] ?? 0, widths[i] ?? 0, column.align, this.bold, size),
      );
      this.y -= lineHeight + 2;
      this.page.drawLine({
        start: { x: this.left, y: this.y + 1 },
        end: { x: this.left + this.width, y: this.y + 1 },
        thickness: 0.75,
        color: black,
      });
      this.y -= 2;
    };
    header();
    for (const row of rows) {
      const cells = columns.map((_, i) => wrapText(row[i] ?? '', this.regular, size, (widths[i] ?? 0) - 4));
      const height = Math.max(1, ...cells.map((lines) => lines.length)) * lineHeight + 3;
      if (this.ensure(height)) header();
      cells.forEach((lines, i) =>
        lines.forEach((line, n) => {
          const y = this.y - n * lineHeight;
          const saved = this.y;
          this.y = y;
          this.cell(line, xs[i] ?? 0, widths[i] ?? 0, columns[i]?.align, this.regular, size);
          this.y = saved;
        }),
      );
      this.y -= height;
      this.page.drawLine({
        start: { x: this.left, y: this.y + 1.5 },
        end: { x: this.left + this.width, y: this.y + 1.5 },
        thickness: 0.25,
        color: rule,
      });
    }
  }

  private cell(text: string, x: number, width: number, align: Column['align'], font: PDFFont, size: number): void {
    const line = encodable(text);
    if (line.trim() === '') return;
    const textWidth = font.widthOfTextAtSize(line, size);
    this.page.drawText(line, {
      x: align === 'right' ? x + width - 6 - textWidth : x + 2,
      y: this.y - size,
      size,
      font,
    });
  }

  async save(): Promise<Uint8Array> {
    const pages = this.pdf.getPages();
    pages.forEach((page, index) => {
      const label = `Page ${index + 1} of ${pages.length}`;
      page.drawText(label, {
        x: (this.size[0] - this.regular.widthOfTextAtSize(label, 7)) / 2,
        y: margin - 4,
        size: 7,
        font: this.regular,
        color: grey,
      });
    });
    return this.pdf.save();
  }
}
