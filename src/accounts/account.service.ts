// STAND-IN for the lead's module (/work/notes/admin-contract.md), so this branch compiles before main has
// src/accounts/. Dropped when main is merged in: main's file replaces it.
export type Role = 'admin' | 'editor' | 'author' | 'contributor';
export interface Account {
  id: number;
  email: string;
  name: string;
  role: Role;
  personId: number | null;
}
