// The form for one device of the register: new, or an existing one being changed. The classes are
// those of SCHOOL-POLICY 2.2 (the API checks them and works out each class's access level).
import { useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client';
import type { Device, DeviceInput } from '../../api/types';
import { ErrorMessage } from '../../components/common';

export const DEVICE_CLASSES = [
  { id: 'school-owned-single-user', title: 'School-owned, single user' },
  { id: 'school-owned-shared', title: 'School-owned, multiple users' },
  { id: 'school-scheme', title: 'Authorised (bought through a school scheme)' },
  { id: 'pupil-owned', title: 'Pupil-owned' },
  { id: 'staff-owned', title: 'Staff-owned' },
  { id: 'visitor-owned', title: 'Visitor-owned' },
] as const;

export function classTitle(id: string): string {
  return DEVICE_CLASSES.find((c) => c.id === id)?.title ?? id;
}

export function DeviceForm({ device, onSave, onCancel }: { device: Device | null; onSave(input: DeviceInput): Promise<void>; onCancel?: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = device ? `device-${device.id}` : 'device-new';

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? '').trim() || null;
    const label = text('label');
    if (!label) return setError('Give the device a label people will recognise, such as its asset tag.');
    setBusy(true);
    setError(null);
    try {
      await onSave({ classId: String(form.get('classId')), label, mac: text('mac'), address: text('address'), owner: text('owner'), group: text('group') });
      if (!device) formElement.reset();
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  return (
    <form className="stack" onSubmit={(e) => void submit(e)} noValidate aria-label={device ? `Change ${device.label}` : 'Register a device'}>
      <ErrorMessage error={error} />
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${prefix}-label`}>Label</label>
          <input id={`${prefix}-label`} name="label" defaultValue={device?.label ?? ''} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-class`}>Kind of device</label>
          <select id={`${prefix}-class`} name="classId" defaultValue={device?.classId ?? DEVICE_CLASSES[0].id}>
            {DEVICE_CLASSES.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-mac`}>MAC address (optional)</label>
          <input id={`${prefix}-mac`} name="mac" defaultValue={device?.mac ?? ''} spellCheck={false} autoCapitalize="none" />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-address`}>IP address (optional)</label>
          <input id={`${prefix}-address`} name="address" defaultValue={device?.address ?? ''} spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-owner`}>Owner’s username (optional)</label>
          <input id={`${prefix}-owner`} name="owner" defaultValue={device?.owner ?? ''} spellCheck={false} autoCapitalize="none" />
        </div>
        <div className="field">
          <label htmlFor={`${prefix}-group`}>Group (optional)</label>
          <input id={`${prefix}-group`} name="group" defaultValue={device?.group ?? ''} spellCheck={false} autoCapitalize="none" />
        </div>
      </div>
      <div className="button-row">
        <button type="submit" disabled={busy}>
          {device ? 'Save changes' : 'Register device'}
        </button>
        {onCancel && (
          <button type="button" className="button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
