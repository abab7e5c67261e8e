/** A staff role. The store keeps it in `user_roles.role`; pages and access rules speak of it too. */
export type Role = 'admin' | 'therapist' | 'supervisor' | 'manager' | 'researcher';

/** The logged-in staff member, resolved from the session cookie. */
export interface StaffIdentity {
  sessionId: string;
  userId: string;
  orgId: string;
  roles: Role[];
  displayName: string;
  email: string;
}
