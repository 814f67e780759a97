export interface ModelPointer {
  name: string;
  version: string;
  /** The .onnx file, a plain name inside the model folder. */
  file: string;
  /** The card's file, a plain name inside the model folder. */
  card: string;
}
/** current.json's text, checked; throws, naming the file, if it is not a model pointer. */
export function parseModelPointer(text: string): ModelPointer;
