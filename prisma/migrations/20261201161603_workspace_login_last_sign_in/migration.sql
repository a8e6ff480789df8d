-- AlterTable
ALTER TABLE "WorkspaceLogin" ADD COLUMN     "lastSignInAt" TIMESTAMPTZ(3);
