// The six screenplay block kinds as Lexical element nodes. Their `type` names are part
// of the stored document (the Yjs doc carries them as `__type`, and the server's
// headless reader parses scripts by them), so they never change.
import {
  $create,
  $isRangeSelection,
  $isTextNode,
  ElementNode,
  type EditorConfig,
  type Klass,
  type LexicalNode,
  type RangeSelection,
} from 'lexical';
import { elementAfterEnter, isScriptElement, type ScriptElement } from '@clapper/domain';

/** Shared behaviour: a paragraph-like block whose look and Enter flow come from its type. */
export class ScreenplayElementNode extends ElementNode {
  $config() {
    return this.config(Symbol.for('ScreenplayElementNode'), { extends: ElementNode });
  }

  getElementType(): ScriptElement {
    const type = this.getType();
    if (!isScriptElement(type)) throw new Error(`not a screenplay element type: ${type}`);
    return type;
  }

  createDOM(_config: EditorConfig): HTMLElement {
    const dom = document.createElement('p');
    const type = this.getElementType();
    dom.className = `sp-el sp-${type}`;
    dom.dataset.element = type;
    return dom;
  }

  updateDOM(_prevNode: this, _dom: HTMLElement, _config: EditorConfig): boolean {
    return false;
  }

  canIndent(): boolean {
    return false;
  }

  /**
   * Enter at the end of the block starts the element that usually follows (scene
   * heading -> action, character -> dialogue, ...); Enter in the middle splits the block
   * and keeps its type, since the tail is the same kind of text.
   */
  insertNewAfter(selection: RangeSelection, restoreSelection = true): ScreenplayElementNode {
    const type = isSelectionAtEnd(this, selection) ? elementAfterEnter(this.getElementType()) : this.getElementType();
    const next = $createScreenplayElementNode(type);
    this.insertAfter(next, restoreSelection);
    return next;
  }

  /** Backspace at the start of an empty block removes it (as ParagraphNode does). */
  collapseAtStart(): boolean {
    if (this.getChildren().every((node) => $isTextNode(node) && !/\S/.test(node.getTextContent()))) {
      const nextSibling = this.getNextSibling();
      if (nextSibling !== null) {
        this.selectNext();
        this.remove();
        return true;
      }
      const prevSibling = this.getPreviousSibling();
      if (prevSibling !== null) {
        this.selectPrevious();
        this.remove();
        return true;
      }
    }
    return false;
  }
}

function isSelectionAtEnd(block: ElementNode, selection: RangeSelection): boolean {
  if (!$isRangeSelection(selection) || !selection.isCollapsed()) return false;
  const { anchor } = selection;
  const anchorNode = anchor.getNode();
  if (anchorNode.is(block)) return anchor.offset >= block.getChildrenSize();
  const last = block.getLastDescendant();
  if (last === null) return true;
  if (!anchorNode.is(last)) return false;
  return $isTextNode(last) ? anchor.offset >= last.getTextContentSize() : true;
}

export class SceneHeadingNode extends ScreenplayElementNode {
  $config() {
    return this.config('scene-heading', { extends: ScreenplayElementNode });
  }
}

export class ActionNode extends ScreenplayElementNode {
  $config() {
    return this.config('action', { extends: ScreenplayElementNode });
  }
}

export class CharacterNode extends ScreenplayElementNode {
  $config() {
    return this.config('character', { extends: ScreenplayElementNode });
  }
}

export class ParentheticalNode extends ScreenplayElementNode {
  $config() {
    return this.config('parenthetical', { extends: ScreenplayElementNode });
  }
}

export class DialogueNode extends ScreenplayElementNode {
  $config() {
    return this.config('dialogue', { extends: ScreenplayElementNode });
  }
}

export class TransitionNode extends ScreenplayElementNode {
  $config() {
    return this.config('transition', { extends: ScreenplayElementNode });
  }
}

// Kinds a Fountain import keeps that the writer does not pick from the toolbar
// (`extraScriptElements` in @clapper/domain): title page, centred text, notes, boneyard,
// sections, synopses, page breaks.
export class TitlePageNode extends ScreenplayElementNode {
  $config() {
    return this.config('title-page', { extends: ScreenplayElementNode });
  }
}

export class CenteredNode extends ScreenplayElementNode {
  $config() {
    return this.config('centered', { extends: ScreenplayElementNode });
  }
}

export class NoteNode extends ScreenplayElementNode {
  $config() {
    return this.config('note', { extends: ScreenplayElementNode });
  }
}

export class BoneyardNode extends ScreenplayElementNode {
  $config() {
    return this.config('boneyard', { extends: ScreenplayElementNode });
  }
}

export class SectionNode extends ScreenplayElementNode {
  $config() {
    return this.config('section', { extends: ScreenplayElementNode });
  }
}

export class SynopsisNode extends ScreenplayElementNode {
  $config() {
    return this.config('synopsis', { extends: ScreenplayElementNode });
  }
}

export class PageBreakNode extends ScreenplayElementNode {
  $config() {
    return this.config('page-break', { extends: ScreenplayElementNode });
  }
}

const nodeClassByType = {
  'scene-heading': SceneHeadingNode,
  action: ActionNode,
  character: CharacterNode,
  parenthetical: ParentheticalNode,
  dialogue: DialogueNode,
  transition: TransitionNode,
  'title-page': TitlePageNode,
  centered: CenteredNode,
  note: NoteNode,
  boneyard: BoneyardNode,
  section: SectionNode,
  synopsis: SynopsisNode,
  'page-break': PageBreakNode,
} as const satisfies Record<ScriptElement, typeof ScreenplayElementNode>;

export const screenplayNodes = Object.values(nodeClassByType);

export function $createScreenplayElementNode(type: ScriptElement): ScreenplayElementNode {
  // Each class's $config narrows its own type name; as a family they share the base.
  return $create(nodeClassByType[type] as Klass<ScreenplayElementNode>);
}

export function $isScreenplayElementNode(node: LexicalNode | null | undefined): node is ScreenplayElementNode {
  return node instanceof ScreenplayElementNode;
}
