-- AlterTable
ALTER TABLE "Department" ADD COLUMN     "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "headIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "limitHours" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "FollowUp" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "correctionReason" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "answer" TEXT,
ADD COLUMN     "answeredAt" TIMESTAMPTZ(3),
ADD COLUMN     "receivedAt" TIMESTAMPTZ(3),
ADD COLUMN     "recordedLate" BOOLEAN NOT NULL DEFAULT false;
