// The school's block page text in force for the proxy: held in memory (the proxy reads it on each
// block, never the database), loaded at start from the data folder's last-good file (else the
// built-in words), and swapped after a save from the console, once the file is written. A damaged
// file gives the built-in words and a reported problem, never a failed start.
import { DEFAULT_BLOCK_PAGE_TEXT, type BlockPageText } from '../core/org/block-page-text.ts';
import { LastGoodBlockPageStore } from '../storage/files/last-good-block-page.ts';

export class LiveBlockPageText {
  readonly #store: LastGoodBlockPageStore;
  readonly #say: (line: string) => void;
  #text: BlockPageText = DEFAULT_BLOCK_PAGE_TEXT;
  #schoolId: string | null = null;
  /** What went wrong loading or writing the file (shown in start-up output). */
  readonly problems: string[] = [];

  constructor(dataDir: string, say: (line: string) => void) {
    this.#store = new LastGoodBlockPageStore(dataDir);
    this.#say = say;
    try {
      const saved = this.#store.read();
      if (saved) {
        this.#text = saved.text;
        this.#schoolId = saved.schoolId;
      }
    } catch (e) {
      this.#report(`${(e as Error).message}; the block page shows the built-in words until the text is saved again`);
    }
  }

  /** The words the block page shows now. */
  readonly current = (): BlockPageText => this.#text;

  /**
   * Once the control plane knows the node's school: the database's text (null: never set) is
   * brought onto disk and into force when it differs from what the file gave.
   */
  adopt(schoolId: string, stored: { text: BlockPageText; savedAt: string } | null): void {
    const text = stored?.text ?? DEFAULT_BLOCK_PAGE_TEXT;
    const sameSchool = this.#schoolId === null || this.#schoolId === schoolId;
    this.#schoolId = schoolId;
    if (sameSchool && sameText(text, this.#text)) return;
    this.#inForce(schoolId, text, stored?.savedAt ?? new Date(0).toISOString());
  }

  /** For the API's hook after a save: other schools' text is not this node's to show. */
  readonly onSaved = (schoolId: string, text: BlockPageText, savedAt: string): void => {
    if (this.#schoolId !== null && schoolId !== this.#schoolId) return;
    this.#inForce(schoolId, text, savedAt);
  };

  #inForce(schoolId: string, text: BlockPageText, savedAt: string): void {
    try {
      this.#store.write({ schoolId, savedAt, text });
    } catch (e) {
      // E.g. the disk is full: shown now all the same (it is saved in the database); the next start writes it.
      this.#report(`block page text could not be written to ${this.#store.path}: ${(e as Error).message}`);
    }
    this.#text = text;
    this.#schoolId = schoolId;
  }

  #report(problem: string): void {
    this.problems.push(problem);
    this.#say(problem);
  }
}

function sameText(a: BlockPageText, b: BlockPageText): boolean {
  return a.heading === b.heading && a.explanation === b.explanation && a.whoToAsk === b.whoToAsk;
}
