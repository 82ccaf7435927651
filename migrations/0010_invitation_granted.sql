-- Whether accepting an invitation gave the membership in each of its companies: 1 if it did; 0
-- while it is pending, and where accepting gave nothing (the person was a member already, so
-- their rights were left as they were, or the inviter could no longer grant it). Deleting an
-- accepted invitation takes back only the memberships it gave, never one the person held before.
--
-- Invitations accepted before this column existed are judged conservatively, by the membership
-- itself: accepting creates the membership in the same transaction as it marks the invitation
-- accepted, so a membership of the accepting login in that company created then (within the
-- second after accepted_at) is the one it gave, and keeps today's behaviour. A membership created
-- earlier was there before the acceptance (the company was skipped); one created later came some
-- other way; no membership means nothing was given. Those stay 0: deleting the invitation
-- removes nothing it cannot show it gave.
ALTER TABLE invitation_companies ADD COLUMN granted INTEGER NOT NULL DEFAULT 0;

UPDATE invitation_companies SET granted = 1
WHERE EXISTS (
  SELECT 1 FROM invitations i
  JOIN memberships m ON m.company_id = invitation_companies.company_id AND m.user_id = i.accepted_by
  WHERE i.id = invitation_companies.invitation_id AND i.accepted_at IS NOT NULL
    AND m.created_at BETWEEN i.accepted_at AND i.accepted_at + 1
);
