-- AlterTable
ALTER TABLE "Booking" ADD COLUMN     "completedAt" TIMESTAMPTZ(3),
ADD COLUMN     "completedById" TEXT,
ADD COLUMN     "depositAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Resource" ADD COLUMN     "prepRoles" "Role"[] DEFAULT ARRAY[]::"Role"[];

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "bookingReminderTime" TEXT NOT NULL DEFAULT '10:00';

-- CreateTable
CREATE TABLE "BookingPrepTask" (
    "id" TEXT NOT NULL,
    "bookingId" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "confirmedAt" TIMESTAMPTZ(3),
    "confirmedById" TEXT,

    CONSTRAINT "BookingPrepTask_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "BookingPrepTask_bookingId_role_key" ON "BookingPrepTask"("bookingId", "role");

-- AddForeignKey
ALTER TABLE "BookingPrepTask" ADD CONSTRAINT "BookingPrepTask_bookingId_fkey" FOREIGN KEY ("bookingId") REFERENCES "Booking"("id") ON DELETE CASCADE ON UPDATE CASCADE;
