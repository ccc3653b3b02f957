// The six screenplay block kinds as Lexical element nodes. Their `type` names are part
// of the stored document (the Yjs doc carries them as `__type`, and the server's
// headless reader parses scripts by them), so they never change.
import {
  $create,
  $getRoot,
  $isElementNode,
  $isRangeSelection,
  $isTextNode,
  ElementNode,
  type EditorConfig,
  type Klass,
  type LexicalNode,
  type RangeSelection,
} from 'lexical';
import {
  elementAfterEnter,
  enterStartsNewGroup,
  isScriptElement,
  type ScriptElement,
  scriptGroupType,
} from '@clapper/domain';

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
    const group = this.getParent();
    if (
      $isScriptGroupNode(group) &&
      this.getNextSibling() === null &&
      enterStartsNewGroup(group.getChildrenSize(), this.getType())
    ) {
      // A full group grows no further at its end: the new block (made in this update,
      // so no one else can have typed in it) starts the next group.
      group.insertAfter($createScriptGroupNode().append(next), false);
      if (restoreSelection) next.selectStart();
    } else {
      this.insertAfter(next, restoreSelection);
    }
    return next;
  }

  /** Backspace at the start of an empty block removes it (as ParagraphNode does). */
  collapseAtStart(): boolean {
    if (this.getChildren().every((node) => $isTextNode(node) && !/\S/.test(node.getTextContent()))) {
      // Across a group's edge too: the previous block may be the last of the group before.
      const next = $nextBlock(this);
      if (next !== null) {
        next.selectStart();
        this.remove();
        return true;
      }
      const previous = $previousBlock(this);
      if (previous !== null) {
        previous.selectEnd();
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

/** The block kinds' node classes. */
export const screenplayBlockNodes = Object.values(nodeClassByType);

export function $createScreenplayElementNode(type: ScriptElement): ScreenplayElementNode {
  // Each class's $config narrows its own type name; as a family they share the base.
  return $create(nodeClassByType[type] as Klass<ScreenplayElementNode>);
}

export function $isScreenplayElementNode(node: LexicalNode | null | undefined): node is ScreenplayElementNode {
  return node instanceof ScreenplayElementNode;
}

/**
 * A page-sized group of blocks (`@clapper/domain` script-groups.ts): new and imported
 * scripts hold their blocks in groups, so the editable's children are ~100 groups, not
 * ~5,000 blocks, and a group off screen skips rendering as a whole. Not a shadow root:
 * the text flows across a group's edge as if there were none (Backspace, Delete and
 * selections merge blocks of neighbouring groups). May be empty: a group whose last
 * block went stays (not shown), since removing it would delete with it what a co-writer
 * adds to it meanwhile.
 */
export class ScriptGroupNode extends ElementNode {
  $config() {
    return this.config(scriptGroupType, { extends: ElementNode });
  }

  createDOM(_config: EditorConfig): HTMLElement {
    const dom = document.createElement('div');
    dom.className = 'sp-group';
    return dom;
  }

  updateDOM(_prevNode: this, _dom: HTMLElement, _config: EditorConfig): boolean {
    return false;
  }

  canBeEmpty(): boolean {
    return true;
  }

  canIndent(): boolean {
    return false;
  }
}

export function $createScriptGroupNode(): ScriptGroupNode {
  return $create(ScriptGroupNode);
}

export function $isScriptGroupNode(node: LexicalNode | null | undefined): node is ScriptGroupNode {
  return node instanceof ScriptGroupNode;
}

/** The script's blocks in order, in groups or not (a doc may hold both). */
export function $scriptBlocks(): LexicalNode[] {
  const blocks: LexicalNode[] = [];
  for (const child of $getRoot().getChildren()) {
    if ($isScriptGroupNode(child)) blocks.push(...child.getChildren());
    else blocks.push(child);
  }
  return blocks;
}

/** The block (a child of the root or of a group) holding `node`, or null (the root, a group). */
export function $blockOf(node: LexicalNode): ElementNode | null {
  let at: LexicalNode | null = node;
  while (at !== null) {
    const parent: ElementNode | null = at.getParent();
    if (parent === null) return null;
    if (parent.getKey() === 'root' || $isScriptGroupNode(parent))
      return $isScriptGroupNode(at) || !$isElementNode(at) ? null : at;
    at = parent;
  }
  return null;
}

/** The block after `block`, across a group's edge. */
export function $nextBlock(block: LexicalNode): LexicalNode | null {
  const parent = block.getParent();
  let next = block.getNextSibling() ?? ($isScriptGroupNode(parent) ? parent.getNextSibling() : null);
  // Empty groups (their blocks deleted) stand for nothing.
  while ($isScriptGroupNode(next) && next.isEmpty()) next = next.getNextSibling();
  return $isScriptGroupNode(next) ? next.getFirstChild() : next;
}

/** The block before `block`, across a group's edge. */
export function $previousBlock(block: LexicalNode): LexicalNode | null {
  const parent = block.getParent();
  let previous = block.getPreviousSibling() ?? ($isScriptGroupNode(parent) ? parent.getPreviousSibling() : null);
  while ($isScriptGroupNode(previous) && previous.isEmpty()) previous = previous.getPreviousSibling();
  return $isScriptGroupNode(previous) ? previous.getLastChild() : previous;
}

/** The script's node classes: the block kinds and the group. */
export const screenplayNodes: Klass<LexicalNode>[] = [...screenplayBlockNodes, ScriptGroupNode];
