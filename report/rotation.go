package report

// RotationSteps is what to do about a leaked key, right for a leak rather
// than a routine rotation (see Django's SECRET_KEY_FALLBACKS).
const RotationSteps = `How to rotate a leaked Django SECRET_KEY
  1. Generate a new key for each environment (djguard keygen; the
     replacements above were made on this machine just now and are yours to
     use, unless this output is stored somewhere others can read, such as
     a CI log: then make new ones).
  2. Store it where the deployment reads it, never in a committed file: an
     environment variable or a secrets manager (AWS Secrets Manager, Azure
     Key Vault, HashiCorp Vault, Google Secret Manager).
  3. Make settings read it, with no literal fallback in production:
         SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
  4. Redeploy every process that holds the old key. Do NOT put the leaked
     key in SECRET_KEY_FALLBACKS: Django would go on accepting everything
     signed with it, including what an attacker forges.
  5. Expect this: every user is logged out, password-reset links already
     sent stop working, and signed cookies and signing.dumps values become
     invalid. Libraries that derive encryption keys from SECRET_KEY lose
     access to data encrypted that way unless migrated: check yours.
  6. Check that the deployment really runs the new key: a session or
     signed cookie made before the rotation must now be refused.
  7. Optionally purge the key from git history (git filter-repo
     --replace-text) and force-push. This does not un-leak it: clones,
     forks, CI caches and mirrors keep it. Rotate first, always.
`
