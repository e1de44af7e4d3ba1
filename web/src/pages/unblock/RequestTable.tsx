// Unblock requests as a table: site, group, period, state in words, decision and comment.
import type { UnblockRequest } from '../../api/types';
import { When } from '../../components/common';

const STATE_WORDS: Record<UnblockRequest['state'], string> = { pending: 'Waiting', approved: 'Approved', declined: 'Declined', cancelled: 'Withdrawn', expired: 'Ended' };

export function RequestTable({ requests, caption, onCancel }: { requests: readonly UnblockRequest[]; caption: string; onCancel?: (r: UnblockRequest) => void }) {
  return (
    <table className="responsive">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Site</th>
          <th scope="col">For</th>
          <th scope="col">Until</th>
          <th scope="col">State</th>
          <th scope="col">Decision</th>
          {onCancel && <th scope="col"><span className="visually-hidden">Actions</span></th>}
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id} data-request-id={r.id}>
            <th scope="row" data-label="Site" className="wrap">{r.site.value}</th>
            <td data-label="For">{r.group}</td>
            <td data-label="Until"><When iso={r.endsAt} /></td>
            <td data-label="State" data-testid="request-state">
              {STATE_WORDS[r.state]}
              {r.state === 'expired' && r.expiredAt && (
                <>
                  {' '}
                  (<When iso={r.expiredAt} />)
                </>
              )}
            </td>
            <td data-label="Decision">
              {r.decidedAt ? (
                <>
                  <When iso={r.decidedAt} />
                  {r.decisionComment && `: “${r.decisionComment}”`}
                </>
              ) : (
                '–'
              )}
            </td>
            {onCancel && (
              <td>
                {r.state === 'pending' && (
                  <button type="button" className="button-secondary button-small" onClick={() => onCancel(r)}>
                    Withdraw<span className="visually-hidden"> the request for {r.site.value}</span>
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
