/** No-op stand-ins for the three steps of a send (claim, WhatsApp call, record), with payloads of similar size. */
export function createBaselineActivities(onSend: () => void = () => undefined) {
  return {
    async benchClaim(item: number) {
      return {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: `+4915100${String(item).padStart(6, '0')}`,
        type: 'text',
        text: { body: 'Big news!', preview_url: false },
      };
    },
    async benchSend(request: { to: string }) {
      onSend();
      return { status: 'sent', providerMessageId: `wamid.BASELINE${request.to}` };
    },
    async benchRecord(_item: number, _outcome: unknown): Promise<void> {},
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
