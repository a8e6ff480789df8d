-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "extraWorkdays" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "officialHolidays" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "pauseReason" TEXT,
ADD COLUMN     "pausedAt" TIMESTAMPTZ(3),
ADD COLUMN     "pausedRemaining" JSONB,
ADD COLUMN     "resumedDeadlines" JSONB;
