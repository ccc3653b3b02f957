// Minimal screenplay block nodes for tests: the same `type` names apps/web's editor
// registers, so docs written through them look like the real editor's.
import { ElementNode, type Klass, type LexicalNode } from 'lexical';
import { type ExtraScriptElement, type ScriptElement, extraScriptElements, scriptGroupType } from '@clapper/domain';

function blockNode(type: ScriptElement): Klass<ElementNode> {
  return class extends ElementNode {
    $config() {
      return this.config(type, { extends: ElementNode });
    }
    createDOM(): HTMLElement {
      return document.createElement('p');
    }
    updateDOM(): boolean {
      return false;
    }
  };
}

export const SceneHeadingNode = blockNode('scene-heading');
export const ActionNode = blockNode('action');
export const CharacterNode = blockNode('character');
export const ParentheticalNode = blockNode('parenthetical');
export const DialogueNode = blockNode('dialogue');
export const TransitionNode = blockNode('transition');

const extraNodeClasses = new Map(extraScriptElements.map((type) => [type, blockNode(type)]));

/** The node class of a kind Fountain import keeps (note, boneyard, section, ...). */
export function extraNode(type: ExtraScriptElement): Klass<ElementNode> {
  return extraNodeClasses.get(type) as Klass<ElementNode>;
}

/** A page-sized group of blocks (new and imported scripts), as the editor's `ScriptGroupNode`. */
export class GroupNode extends ElementNode {
  $config() {
    return this.config(scriptGroupType, { extends: ElementNode });
  }
  createDOM(): HTMLElement {
    return document.createElement('div');
  }
  updateDOM(): boolean {
    return false;
  }
}

export const screenplayNodes: Klass<LexicalNode>[] = [
  GroupNode,
  ...extraNodeClasses.values(),
  SceneHeadingNode,
  ActionNode,
  CharacterNode,
  ParentheticalNode,
  DialogueNode,
  TransitionNode,
];
