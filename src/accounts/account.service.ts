// STAND-IN for the lead's module (/work/notes/admin-contract.md): only the types the workflow needs.
// Replaced by main's file when main is merged in.
export type Role = 'admin' | 'editor' | 'author' | 'contributor';
export interface Account {
  id: number;
  email: string;
  name: string;
  role: Role;
  personId: number | null;
}
