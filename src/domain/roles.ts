/** A staff role. The store keeps it in `user_roles.role`; pages and access rules speak of it too. */
export type Role = 'admin' | 'therapist' | 'supervisor' | 'manager' | 'researcher';
