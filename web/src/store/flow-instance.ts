// The React Flow instance of the open canvas, for code outside the canvas that moves the view (commands, find,
// focus). The canvas sets it; nothing here imports the canvas or the commands, so neither imports the other.
import type { ReactFlowInstance } from '@xyflow/react';
import type { DesignerEdge, DesignerNode } from './graph-ops';

let flow: ReactFlowInstance<DesignerNode, DesignerEdge> | null = null;

export const setFlowInstance = (instance: ReactFlowInstance<DesignerNode, DesignerEdge> | null) => {
  flow = instance;
};

export const getFlowInstance = () => flow;
