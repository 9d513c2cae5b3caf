export default function HomePage() {
  return (
    <main className="mx-auto max-w-2xl p-8">
      <h1 className="text-2xl font-semibold">Model assignment console</h1>
      <p className="mt-2 text-gray-600">
        The REST API lives under <code>/v2</code>; its OpenAPI document is at <a className="underline" href="/v2/openapi.json">/v2/openapi.json</a>.
      </p>
    </main>
  );
}
