"""Every organization runs its own team: invitations (and the public page that accepts them), members' roles,
deactivation, and the organization's MFA policy. Services in `marketplace.core.services.invitations` / `.team`."""
