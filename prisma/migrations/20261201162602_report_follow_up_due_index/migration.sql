-- CreateIndex
CREATE INDEX "FollowUp_tenantId_dueBy_idx" ON "FollowUp"("tenantId", "dueBy");
