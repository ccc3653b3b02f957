import {
  $createLineBreakNode,
  $createParagraphNode,
  $createTextNode,
  $getRoot,
  type ElementNode,
  type Klass,
} from 'lexical';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { bindHeadlessEditor } from './lexical-yjs-editor.test-support.ts';
import { isSceneHeadingLine as isDomainHeading } from '@clapper/domain';
import { isSceneHeadingLine, readScript } from './read-script.ts';
import {
  ActionNode,
  CharacterNode,
  DialogueNode,
  GroupNode,
  ParentheticalNode,
  SceneHeadingNode,
  TransitionNode,
  extraNode,
} from './screenplay-nodes.test-support.ts';

function block(Node: Klass<ElementNode>, text: string): ElementNode {
  const node = new Node();
  node.append($createTextNode(text));
  return node;
}

function paragraph(text: string): ElementNode {
  return $createParagraphNode().append($createTextNode(text));
}

describe("readScript on docs written by Lexical's Yjs binding", () => {
  test('[Y13] screenplay blocks: scene headings come from scene-heading nodes, in order', () => {
    const doc = new Y.Doc();
    const { editor, dispose } = bindHeadlessEditor(doc);
    editor.update(
      () => {
        $getRoot().append(
          block(SceneHeadingNode, 'INT. KITCHEN - NIGHT'),
          block(ActionNode, 'Rain hammers the window. MAYA stirs a pot.'),
          block(CharacterNode, 'MAYA'),
          block(ParentheticalNode, '(not looking up)'),
          block(DialogueNode, "You're late."),
          block(TransitionNode, 'CUT TO:'),
          block(SceneHeadingNode, '  EXT. ROOFTOP - CONTINUOUS  '),
          // An action line that merely starts like a heading is not one.
          block(ActionNode, 'INT. lights flicker as the power dies.'),
        );
      },
      { discrete: true },
    );
    const script = readScript(doc);
    expect(script.sceneHeadings).toEqual(['INT. KITCHEN - NIGHT', 'EXT. ROOFTOP - CONTINUOUS']);
    expect(script.blocks.map((b) => b.type)).toEqual([
      'scene-heading',
      'action',
      'character',
      'parenthetical',
      'dialogue',
      'transition',
      'scene-heading',
      'action',
    ]);
    expect(script.text.split('\n')[4]).toBe("You're late.");
    dispose();
  });

  test('[Y13] plain paragraphs: lines starting with INT./EXT./INT/EXT./I/E. are scene headings, line breaks included', () => {
    const doc = new Y.Doc();
    const { editor, dispose } = bindHeadlessEditor(doc);
    editor.update(
      () => {
        const withBreak = $createParagraphNode();
        withBreak.append($createTextNode('Some action.'), $createLineBreakNode(), $createTextNode('EXT. PIER - DAWN'));
        const styled = $createParagraphNode();
        styled.append(
          $createTextNode('INT/EXT. '),
          $createTextNode('CAR').toggleFormat('bold'),
          $createTextNode(' - MOVING'),
        );
        $getRoot().append(
          paragraph('INT. HOUSE - DAY'),
          paragraph('Nobody home.'),
          withBreak,
          styled,
          paragraph('I/E. BUS - NIGHT'),
          paragraph('INTERIOR monologue, not a heading'),
        );
      },
      { discrete: true },
    );
    const script = readScript(doc);
    expect(script.sceneHeadings).toEqual([
      'INT. HOUSE - DAY',
      'EXT. PIER - DAWN',
      'INT/EXT. CAR - MOVING',
      'I/E. BUS - NIGHT',
    ]);
    expect(script.text).toBe(
      'INT. HOUSE - DAY\nNobody home.\nSome action.\nEXT. PIER - DAWN\nINT/EXT. CAR - MOVING\nI/E. BUS - NIGHT\nINTERIOR monologue, not a heading',
    );
    dispose();
  });

  test('[Y13] edits and deletions through the editor are what the reader sees, also on a replica', () => {
    const doc = new Y.Doc();
    const { editor, dispose } = bindHeadlessEditor(doc);
    editor.update(
      () => $getRoot().append(block(SceneHeadingNode, 'INT. OFFICE - DAY'), block(ActionNode, 'Phones ring.')),
      {
        discrete: true,
      },
    );
    editor.update(
      () => {
        const [heading, action] = $getRoot().getChildren();
        heading?.remove();
        action?.insertAfter(block(SceneHeadingNode, 'EXT. STREET - NIGHT'));
      },
      { discrete: true },
    );
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    expect(readScript(replica)).toMatchObject({
      text: 'Phones ring.\nEXT. STREET - NIGHT',
      sceneHeadings: ['EXT. STREET - NIGHT'],
    });
    dispose();
  });

  test('[Y13] an empty doc reads as no text and no headings', () => {
    expect(readScript(new Y.Doc())).toEqual({ text: '', sceneHeadings: [], blocks: [], elements: [] });
  });

  test('[Y13] the heading prefixes Fountain knows, the same as the editor and import (domain grammar, G1)', () => {
    for (const line of [
      'INT. A',
      'EXT. B',
      'INT./EXT. C',
      'INT/EXT. D',
      'I/E. E',
      'int. lower case',
      'INT KITCHEN',
      'EST. BRIDGE',
    ]) {
      expect(isSceneHeadingLine(line), line).toBe(true);
      expect(isDomainHeading(line), line).toBe(true);
    }
    for (const line of ['INTERIOR', 'EXTRA', 'INT', 'Into the night', ''])
      expect(isSceneHeadingLine(line), line).toBe(false);
  });

  test('[Y13] the extra kinds a Fountain import keeps (notes, boneyard, sections) are elements; a boneyard heading is no scene', () => {
    const doc = new Y.Doc();
    const { editor, dispose } = bindHeadlessEditor(doc);
    editor.update(
      () => {
        $getRoot().append(
          block(extraNode('title-page'), 'Title: The Last Lighthouse'),
          block(extraNode('section'), '# ACT ONE'),
          block(SceneHeadingNode, 'INT. KITCHEN - DAY #4#'),
          block(extraNode('boneyard'), '\nINT. CUT SCENE - DAY\n'),
          block(extraNode('note'), 'INT. not a heading either'),
          paragraph('EST. BRIDGE'),
        );
      },
      { discrete: true },
    );
    const script = readScript(doc);
    expect(script.sceneHeadings).toEqual(['INT. KITCHEN - DAY #4#', 'EST. BRIDGE']);
    expect(script.elements.map((element) => element.type)).toEqual([
      'title-page',
      'section',
      'scene-heading',
      'boneyard',
      'note',
      'scene-heading',
    ]);
    dispose();
  });

  test('[Y13] grouped scripts (blocks in page-sized groups) and a mix of groups and flat blocks read as the same blocks in order', () => {
    const doc = new Y.Doc();
    const { editor, dispose } = bindHeadlessEditor(doc);
    editor.update(
      () => {
        $getRoot().append(
          new GroupNode().append(block(SceneHeadingNode, 'INT. KITCHEN - DAY'), block(ActionNode, 'Rain.')),
          new GroupNode().append(block(CharacterNode, 'MAYA'), block(DialogueNode, 'Late.')),
          // A block typed in the root beside the groups (a mixed doc) still reads in its place.
          block(TransitionNode, 'CUT TO:'),
          new GroupNode().append(block(SceneHeadingNode, 'EXT. PIER - DAWN')),
        );
      },
      { discrete: true },
    );
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
    for (const read of [readScript(doc), readScript(replica)]) {
      expect(read.blocks).toEqual([
        { type: 'scene-heading', text: 'INT. KITCHEN - DAY' },
        { type: 'action', text: 'Rain.' },
        { type: 'character', text: 'MAYA' },
        { type: 'dialogue', text: 'Late.' },
        { type: 'transition', text: 'CUT TO:' },
        { type: 'scene-heading', text: 'EXT. PIER - DAWN' },
      ]);
      expect(read.sceneHeadings).toEqual(['INT. KITCHEN - DAY', 'EXT. PIER - DAWN']);
      expect(read.text).toBe('INT. KITCHEN - DAY\nRain.\nMAYA\nLate.\nCUT TO:\nEXT. PIER - DAWN');
    }
    dispose();
  });
});
