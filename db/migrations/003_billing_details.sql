-- The billing page's demo data: the details a "change billing details" action edits (behind step-up).
-- No card numbers: a real deployment keeps those with its payment provider.
CREATE TABLE billing_details (
  identity_id   uuid PRIMARY KEY,
  company       text        NOT NULL CHECK (length(company) BETWEEN 1 AND 100),
  billing_email text        NOT NULL CHECK (length(billing_email) BETWEEN 3 AND 320),
  vat_id        text        CHECK (vat_id ~ '^[A-Z]{2}[A-Z0-9]{2,13}$'),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
