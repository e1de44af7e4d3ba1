// The policy table: rules in the order they are checked (first match wins), each in words.
// Reordered by dragging a row, by the Up/Down buttons, or by Alt+Arrow keys on a row; every move
// is announced in a live region and focus stays with the rule that moved.
import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from 'react';
import type { PolicyDocument, Rule } from '../../api/types';
import { describeAction, describeWhat, describeWhen, describeWhere, describeWho } from './describe';

interface Props {
  readonly policy: PolicyDocument;
  readonly editable: boolean;
  onMove(from: number, to: number): void;
  onEdit(index: number): void;
  onRemove(index: number): void;
}

export function RuleTable({ policy, editable, onMove, onEdit, onRemove }: Props) {
  const rules = policy.rules;
  const [announcement, setAnnouncement] = useState('');
  const [focusAfterMove, setFocusAfterMove] = useState<string | null>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const handles = useRef(new Map<string, HTMLButtonElement>());

  useEffect(() => {
    if (focusAfterMove === null) return;
    handles.current.get(focusAfterMove)?.focus();
    setFocusAfterMove(null);
  }, [focusAfterMove, rules]);

  function move(from: number, to: number) {
    const rule = rules[from];
    if (!rule || to < 0 || to >= rules.length || from === to) return;
    onMove(from, to);
    setAnnouncement(`Rule “${rule.name}” moved to position ${to + 1} of ${rules.length}.`);
    setFocusAfterMove(rule.id);
  }

  function keyDown(event: KeyboardEvent, index: number) {
    if (!editable || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1);
  }

  function drop(event: DragEvent, index: number) {
    event.preventDefault();
    const from = Number(event.dataTransfer.getData('text/plain'));
    setDragging(null);
    if (Number.isInteger(from)) move(from, index);
  }

  return (
    <>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {editable && <p className="hint" id="reorder-hint">To reorder, drag a row, use its Up and Down buttons, or focus the rule and press Alt+Up or Alt+Down.</p>}
      <table className="rules">
        <caption className="visually-hidden">Filtering rules, checked from the top: the first rule that matches decides.</caption>
        <thead>
          <tr>
            <th scope="col">Order</th>
            <th scope="col">Rule</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Where</th>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            {editable && <th scope="col">Change</th>}
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, index) => (
            <tr
              key={rule.id}
              data-rule-id={rule.id}
              className={dragging === index ? 'dragging' : undefined}
              draggable={editable}
              onDragStart={(e) => {
                e.dataTransfer.setData('text/plain', String(index));
                e.dataTransfer.effectAllowed = 'move';
                setDragging(index);
              }}
              onDragEnd={() => setDragging(null)}
              onDragOver={(e) => editable && e.preventDefault()}
              onDrop={(e) => drop(e, index)}
              onKeyDown={(e) => keyDown(e, index)}
            >
              <td data-label="Order">
                {editable ? (
                  <button
                    type="button"
                    className="handle"
                    aria-describedby="reorder-hint"
                    ref={(el) => {
                      if (el) handles.current.set(rule.id, el);
                      else handles.current.delete(rule.id);
                    }}
                  >
                    {index + 1}
                    <span className="visually-hidden">: {rule.name}</span>
                  </button>
                ) : (
                  index + 1
                )}
              </td>
              <th scope="row" data-label="Rule">
                <div>
                  {rule.name}
                  <span className="rule-id">{rule.id}</span>
                </div>
              </th>
              <td data-label="Who">{describeWho(rule, policy)}</td>
              <td data-label="What">{describeWhat(rule, policy)}</td>
              <td data-label="Where">{describeWhere(rule)}</td>
              <td data-label="When">{describeWhen(rule, policy)}</td>
              <td data-label="Action">
                <span className={`action action-${rule.action}`}>{describeAction(rule)}</span>
              </td>
              {editable && (
                <td data-label="Change" className="row-buttons">
                  <RowButton label="Up" what={`move ${rule.name} up`} disabled={index === 0} onClick={() => move(index, index - 1)} />
                  <RowButton label="Down" what={`move ${rule.name} down`} disabled={index === rules.length - 1} onClick={() => move(index, index + 1)} />
                  <RowButton label="Edit" what={`edit ${rule.name}`} onClick={() => onEdit(index)} />
                  <RowButton label="Remove" what={`remove ${rule.name}`} onClick={() => onRemove(index)} />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function RowButton({ label, what, disabled, onClick }: { label: string; what: string; disabled?: boolean; onClick(): void }) {
  return (
    <button type="button" className="button-small button-secondary" disabled={disabled} onClick={onClick}>
      {label}
      <span className="visually-hidden"> ({what})</span>
    </button>
  );
}

/** The rules with one moved from one place to another. */
export function moved(rules: readonly Rule[], from: number, to: number): Rule[] {
  const next = [...rules];
  const [rule] = next.splice(from, 1);
  next.splice(to, 0, rule!);
  return next;
}
