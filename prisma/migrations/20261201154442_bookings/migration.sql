-- AlterTable
ALTER TABLE "Booking" ADD COLUMN     "checkedInById" TEXT,
ADD COLUMN     "confirmedById" TEXT,
ADD COLUMN     "holdFrom" TIMESTAMPTZ(3),
ADD COLUMN     "holdUntil" TIMESTAMPTZ(3),
ADD COLUMN     "lane" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "noShowAt" TIMESTAMPTZ(3),
ADD COLUMN     "removedAt" TIMESTAMPTZ(3),
ADD COLUMN     "removedById" TEXT,
ADD COLUMN     "removedReason" TEXT,
ADD COLUMN     "rescheduledAt" TIMESTAMPTZ(3);

-- Existing rows hold exactly their own range (no buffers were known before).
UPDATE "Booking" SET "holdFrom" = "startsAt", "holdUntil" = "endsAt";
ALTER TABLE "Booking" ALTER COLUMN "holdFrom" SET NOT NULL, ALTER COLUMN "holdUntil" SET NOT NULL;

-- AlterTable
ALTER TABLE "Resource" ADD COLUMN     "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "bufferAfterMinutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "bufferBeforeMinutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "closesAt" TEXT NOT NULL DEFAULT '22:00',
ADD COLUMN     "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "defaultMinutes" INTEGER NOT NULL DEFAULT 60,
ADD COLUMN     "depositRequired" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "maxAdvanceDays" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "minNoticeMinutes" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "opensAt" TEXT NOT NULL DEFAULT '08:00',
ADD COLUMN     "priceCents" INTEGER,
ADD COLUMN     "slotMinutes" INTEGER NOT NULL DEFAULT 30;

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "bookingAuditTime" TEXT NOT NULL DEFAULT '18:00',
ADD COLUMN     "lastWaitlistNumber" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "BookingWaitlistEntry" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "resourceId" TEXT NOT NULL,
    "startsAt" TIMESTAMPTZ(3) NOT NULL,
    "endsAt" TIMESTAMPTZ(3) NOT NULL,
    "customerName" TEXT NOT NULL,
    "customerPhone" TEXT,
    "groupId" TEXT,
    "createdById" TEXT,
    "status" TEXT NOT NULL DEFAULT 'waiting',
    "offeredAt" TIMESTAMPTZ(3),
    "offerExpiresAt" TIMESTAMPTZ(3),
    "bookingId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BookingWaitlistEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BookingAuditRun" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "forDate" TEXT NOT NULL,
    "removedCount" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "BookingAuditRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BookingWaitlistEntry_tenantId_resourceId_status_createdAt_idx" ON "BookingWaitlistEntry"("tenantId", "resourceId", "status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "BookingWaitlistEntry_tenantId_number_key" ON "BookingWaitlistEntry"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "BookingAuditRun_tenantId_forDate_key" ON "BookingAuditRun"("tenantId", "forDate");

-- CreateIndex
CREATE INDEX "Booking_tenantId_cancelledById_idx" ON "Booking"("tenantId", "cancelledById");

-- CreateIndex
CREATE INDEX "Booking_tenantId_createdById_status_idx" ON "Booking"("tenantId", "createdById", "status");

-- AddForeignKey
ALTER TABLE "BookingWaitlistEntry" ADD CONSTRAINT "BookingWaitlistEntry_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookingWaitlistEntry" ADD CONSTRAINT "BookingWaitlistEntry_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookingAuditRun" ADD CONSTRAINT "BookingAuditRun_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- No double booking, from the database itself: every live booking holds one lane (0..capacity-1) of
-- its resource for [holdFrom, holdUntil), buffers included, and PostgreSQL refuses a second live
-- hold of the same lane that overlaps it, however many requests race. Prisma's schema cannot
-- express an exclusion constraint; its schema engine leaves constraints it does not model alone
-- (npm run db:migrate:create after this migration reports no changes). btree_gist lets a GiST
-- index compare the plain columns with =; it is database-wide, so it lives in public.
CREATE EXTENSION IF NOT EXISTS btree_gist WITH SCHEMA public;
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_lane_in_range" CHECK ("lane" >= 0);
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_hold_covers_booking" CHECK ("holdFrom" <= "startsAt" AND "startsAt" < "endsAt" AND "endsAt" <= "holdUntil");
ALTER TABLE "Booking" ADD CONSTRAINT "Booking_no_overlap" EXCLUDE USING gist (
  "resourceId" WITH =,
  "lane" WITH =,
  tstzrange("holdFrom", "holdUntil", '[)') WITH &&
) WHERE ("status" IN ('unconfirmed', 'confirmed', 'checked_in'));
