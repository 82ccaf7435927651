-- The reconcile round (PaymentService::reconcile): the open payments of a provider, the least
-- recently asked about first.
CREATE INDEX payments_reconcile ON payments (provider, updated_at, id) WHERE status = 'open';
