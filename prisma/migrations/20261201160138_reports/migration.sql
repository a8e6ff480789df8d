-- CreateTable
CREATE TABLE "ReportImage" (
    "id" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "png" BYTEA NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportImage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ReportImage_tenantId_createdAt_idx" ON "ReportImage"("tenantId", "createdAt");

-- CreateIndex
CREATE INDEX "Ticket_tenantId_completedAt_idx" ON "Ticket"("tenantId", "completedAt");

-- CreateIndex
CREATE INDEX "Ticket_tenantId_cancelledAt_idx" ON "Ticket"("tenantId", "cancelledAt");

-- CreateIndex
CREATE INDEX "FollowUp_tenantId_doneAt_idx" ON "FollowUp"("tenantId", "doneAt");

-- AddForeignKey
ALTER TABLE "ReportImage" ADD CONSTRAINT "ReportImage_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;
